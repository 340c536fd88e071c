using System.Text;
using System.Text.Json.Nodes;
using LlmGate.Providers;
using LlmGate.Providers.Google;

namespace LlmGate.Tests.Providers.Google;

public sealed class GeminiRequestTranslatorTests
{
    private static JsonNode Translate(string openAi) => JsonNode.Parse(GeminiRequestTranslator.Translate(Encoding.UTF8.GetBytes(openAi)))!;

    private static ProviderRequestException Refused(string openAi) =>
        Assert.Throws<ProviderRequestException>(() => GeminiRequestTranslator.Translate(Encoding.UTF8.GetBytes(openAi)));

    [Fact]
    public void Translate_SystemAndDeveloper_LiftedInOrderIntoSystemInstruction()
    {
        var result = Translate("""
            {"model":"gemini-2.0-flash","stream":true,"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"},
             {"role":"developer","content":[{"type":"text","text":"Use French."}]}]}
            """);

        Assert.Equal("""{"parts":[{"text":"Be brief."},{"text":"Use French."}]}""", result["systemInstruction"]!.ToJsonString());
        Assert.Equal("""[{"role":"user","parts":[{"text":"Hi"}]}]""", result["contents"]!.ToJsonString());
        Assert.Null(result["model"]);
        Assert.Null(result["stream"]);
        Assert.Null(result["generationConfig"]);
    }

    [Fact]
    public void Translate_OnlySystem_AddsDotUserTurn()
    {
        var result = Translate("""{"messages":[{"role":"system","content":"Say hi."}]}""");

        Assert.Equal("""[{"role":"user","parts":[{"text":"."}]}]""", result["contents"]!.ToJsonString());
    }

    [Fact]
    public void Translate_ConsecutiveSameRole_MergedUserAndModelAlternate()
    {
        var result = Translate("""
            {"messages":[{"role":"user","content":"A"},{"role":"user","content":"B"},{"role":"assistant","content":"C"},
             {"role":"assistant","content":[{"type":"text","text":"D"}]},{"role":"user","content":"E"}]}
            """);

        Assert.Equal(
            """[{"role":"user","parts":[{"text":"A"},{"text":"B"}]},{"role":"model","parts":[{"text":"C"},{"text":"D"}]},{"role":"user","parts":[{"text":"E"}]}]""",
            result["contents"]!.ToJsonString());
    }

    [Fact]
    public void Translate_EmptyTurn_GetsSpaceText()
    {
        var result = Translate("""{"messages":[{"role":"user","content":""},{"role":"assistant","content":""},{"role":"user","content":"Hi"}]}""");

        Assert.Equal(
            """[{"role":"user","parts":[{"text":" "}]},{"role":"model","parts":[{"text":" "}]},{"role":"user","parts":[{"text":"Hi"}]}]""",
            result["contents"]!.ToJsonString());
    }

    [Fact]
    public void Translate_Images_DataUrlInlineAndUrlsAsFileDataWithInferredMimeType()
    {
        var result = Translate("""
            {"messages":[{"role":"user","content":[{"type":"text","text":"What is this?"},
             {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}},
             {"type":"image_url","image_url":{"url":"https://example.com/cat.webp?sig=abc.png","detail":"high"}},
             {"type":"image_url","image_url":"gs://bucket/report.PDF"},
             {"type":"image_url","image_url":{"url":"https://example.com/photo"}},
             {"type":"image_url","image_url":{"url":"https://example.com/clip","format":"video/mp4"}}]}]}
            """);

        var parts = result["contents"]![0]!["parts"]!.AsArray();
        Assert.Equal("""{"text":"What is this?"}""", parts[0]!.ToJsonString());
        Assert.Equal("""{"inlineData":{"mimeType":"image/png","data":"iVBORw0KGgo="}}""", parts[1]!.ToJsonString());
        Assert.Equal("""{"fileData":{"mimeType":"image/webp","fileUri":"https://example.com/cat.webp?sig=abc.png"}}""", parts[2]!.ToJsonString());
        Assert.Equal("""{"fileData":{"mimeType":"application/pdf","fileUri":"gs://bucket/report.PDF"}}""", parts[3]!.ToJsonString());
        Assert.Equal("image/jpeg", parts[4]!["fileData"]!["mimeType"]!.GetValue<string>());
        Assert.Equal("video/mp4", parts[5]!["fileData"]!["mimeType"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("a.jpg", "image/jpeg")]
    [InlineData("a.jpeg", "image/jpeg")]
    [InlineData("a.gif", "image/gif")]
    [InlineData("a.heic", "image/heic")]
    [InlineData("a.heif", "image/heif")]
    [InlineData("a.mp3", "audio/mp3")]
    [InlineData("a.wav", "audio/wav")]
    [InlineData("a.mp4", "video/mp4")]
    public void Translate_HttpUrl_MimeTypeFromExtension(string file, string mimeType)
    {
        var result = Translate($$$"""{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"http://example.com/x/{{{file}}}"}}]}]}""");

        Assert.Equal(mimeType, result["contents"]![0]!["parts"]![0]!["fileData"]!["mimeType"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"type":"input_audio","input_audio":{"data":"AAAA","format":"wav"}}""")]
    [InlineData("""{"type":"file","file":{"file_id":"file-1"}}""")]
    public void Translate_UnsupportedPart_RefusedNamingPart(string part)
    {
        var exception = Refused($$"""{"messages":[{"role":"system","content":"S"},{"role":"user","content":"Hi"},{"role":"user","content":[{"type":"text","text":"x"},{{part}}]}]}""");

        Assert.Equal("messages[2].content[1]", exception.Param);
        Assert.Contains("is not supported by Gemini", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ftp://example.com/a.png")]
    [InlineData("data:image/png,rawbytes")]
    public void Translate_UnusableImageUrl_Refused(string url)
    {
        var exception = Refused($$$"""{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"{{{url}}}"}}]}]}""");

        Assert.Equal("messages[0].content[0]", exception.Param);
    }

    [Fact]
    public void Translate_ImageInAssistantMessage_Refused()
    {
        var exception = Refused("""{"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":[{"type":"image_url","image_url":"https://a/b.png"}]}]}""");

        Assert.Equal("messages[1].content[0]", exception.Param);
    }

    [Fact]
    public void Translate_ToolRoundTrip_FunctionCallsThenFunctionResponsesNamedByCallId()
    {
        var result = Translate("""
            {"messages":[{"role":"user","content":"Weather in Paris and Rome?"},
             {"role":"assistant","content":"Checking.","tool_calls":[
               {"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}},
               {"id":"call_2","type":"function","function":{"name":"get_time","arguments":""}}]},
             {"role":"tool","tool_call_id":"call_2","content":"12:00"},
             {"role":"tool","tool_call_id":"call_1","content":[{"type":"text","text":"18"},{"type":"text","text":"C"}]},
             {"role":"user","content":"Thanks"}]}
            """);

        var contents = result["contents"]!.AsArray();
        Assert.Equal(["user", "model", "user"], contents.Select(c => c!["role"]!.GetValue<string>()));
        Assert.Equal(
            """[{"text":"Checking."},{"functionCall":{"name":"get_weather","args":{"city":"Paris"}}},{"functionCall":{"name":"get_time","args":{}}}]""",
            contents[1]!["parts"]!.ToJsonString());
        Assert.Equal(
            """[{"functionResponse":{"name":"get_time","response":{"content":"12:00"}}},{"functionResponse":{"name":"get_weather","response":{"content":"18C"}}},{"text":"Thanks"}]""",
            contents[2]!["parts"]!.ToJsonString());
    }

    [Fact]
    public void Translate_ToolCallIdWithThoughtSignature_SignatureReturnedOnFunctionCall()
    {
        var result = Translate("""
            {"messages":[{"role":"user","content":"Hi"},
             {"role":"assistant","tool_calls":[{"id":"call_9__thought__c2lnbmF0dXJl","type":"function","function":{"name":"f","arguments":"{}"}}]},
             {"role":"tool","tool_call_id":"call_9__thought__c2lnbmF0dXJl","content":"ok"}]}
            """);

        Assert.Equal("""{"functionCall":{"name":"f","args":{}},"thoughtSignature":"c2lnbmF0dXJl"}""", result["contents"]![1]!["parts"]![0]!.ToJsonString());
        Assert.Equal("f", result["contents"]![2]!["parts"]![0]!["functionResponse"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public void Translate_ToolResultForUnknownCallId_Refused()
    {
        var exception = Refused("""{"messages":[{"role":"user","content":"Hi"},{"role":"tool","tool_call_id":"call_x","content":"18C"}]}""");

        Assert.Equal("messages[1].tool_call_id", exception.Param);
        Assert.Contains("call_x", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("[1,2]")]
    public void Translate_ToolCallArgumentsNotAnObject_Refused(string arguments)
    {
        var json = new JsonObject
        {
            ["messages"] = new JsonArray(
                new JsonObject { ["role"] = "user", ["content"] = "Hi" },
                new JsonObject
                {
                    ["role"] = "assistant",
                    ["tool_calls"] = new JsonArray(new JsonObject { ["id"] = "c", ["function"] = new JsonObject { ["name"] = "f", ["arguments"] = arguments } }),
                }),
        };

        var exception = Refused(json.ToJsonString());

        Assert.Equal("messages[1].tool_calls[0].function.arguments", exception.Param);
    }

    [Fact]
    public void Translate_Parameters_InGenerationConfigWithGeminiNames()
    {
        var result = Translate("""
            {"messages":[{"role":"user","content":"Hi"}],"max_tokens":50,"max_completion_tokens":100,"temperature":0.2,"top_p":0.9,"top_k":40,
             "n":2,"presence_penalty":0.5,"frequency_penalty":0.25,"seed":7,"logprobs":true,"top_logprobs":3,"stop":"END",
             "user":"u-1","metadata":{"a":"b"},"store":false,"parallel_tool_calls":true,"service_tier":"auto","stream_options":{"include_usage":true}}
            """);

        Assert.Equal(
            """{"maxOutputTokens":100,"temperature":0.2,"topP":0.9,"topK":40,"candidateCount":2,"presencePenalty":0.5,"frequencyPenalty":0.25,"seed":7,"responseLogprobs":true,"logprobs":3,"stopSequences":["END"]}""",
            result["generationConfig"]!.ToJsonString());
        Assert.Equal(["contents", "generationConfig"], result.AsObject().Select(p => p.Key));
    }

    [Fact]
    public void Translate_MaxTokensAndStopList_Mapped()
    {
        var result = Translate("""{"messages":[{"role":"user","content":"Hi"}],"max_tokens":50,"stop":["a","b"]}""");

        Assert.Equal("""{"maxOutputTokens":50,"stopSequences":["a","b"]}""", result["generationConfig"]!.ToJsonString());
    }

    [Theory]
    [InlineData("""{"type":"text"}""", null)]
    [InlineData("""{"type":"json_object"}""", """{"responseMimeType":"application/json"}""")]
    public void Translate_ResponseFormat_TextNothingJsonObjectMimeType(string format, string? config)
    {
        var result = Translate($$"""{"messages":[{"role":"user","content":"Hi"}],"response_format":{{format}}}""");

        Assert.Equal(config, result["generationConfig"]?.ToJsonString());
    }

    [Fact]
    public void Translate_JsonSchema_CleanedIntoResponseSchema()
    {
        var result = Translate("""
            {"messages":[{"role":"user","content":"Hi"}],"response_format":{"type":"json_schema","json_schema":{"name":"person","strict":true,"schema":
             {"$schema":"http://json-schema.org/draft-07/schema#","title":"Person","type":"object","additionalProperties":false,
              "properties":{"name":{"type":"string","title":"Name","default":"x"},"title":{"type":"string"},
                "age":{"anyOf":[{"type":"integer"},{"type":"null"}],"description":"Years"},"nick":{"type":["string","null"]}},
              "required":["name","title","age","nick"]}}}}
            """);

        var config = result["generationConfig"]!;
        Assert.Equal("application/json", config["responseMimeType"]!.GetValue<string>());
        Assert.Equal(
            """{"type":"object","properties":{"name":{"type":"string"},"title":{"type":"string"},"age":{"description":"Years","type":"integer","nullable":true},"nick":{"type":"string","nullable":true}},"required":["name","title","age","nick"]}""",
            config["responseSchema"]!.ToJsonString());
    }

    [Fact]
    public void Translate_SchemaWithDefs_RefsInlinedDefsDropped()
    {
        var result = Translate("""
            {"messages":[{"role":"user","content":"Hi"}],"response_format":{"type":"json_schema","json_schema":{"name":"s","schema":
             {"type":"object","$defs":{"Point":{"type":"object","title":"Point","properties":{"x":{"type":"number"}}}},
              "properties":{"a":{"$ref":"#/$defs/Point","description":"First"},"b":{"type":"array","items":{"$ref":"#/$defs/Point"}},
                "c":{"anyOf":[{"$ref":"#/$defs/Point"},{"type":"null"}]}}}}}}
            """);

        Assert.Equal(
            """{"type":"object","properties":{"a":{"type":"object","properties":{"x":{"type":"number"}},"description":"First"},"b":{"type":"array","items":{"type":"object","properties":{"x":{"type":"number"}}}},"c":{"type":"object","properties":{"x":{"type":"number"}},"nullable":true}}}""",
            result["generationConfig"]!["responseSchema"]!.ToJsonString());
    }

    [Fact]
    public void Translate_RecursiveSchema_Refused()
    {
        var exception = Refused("""
            {"messages":[{"role":"user","content":"Hi"}],"response_format":{"type":"json_schema","json_schema":{"name":"tree","schema":
             {"$ref":"#/definitions/Node","definitions":{"Node":{"type":"object","properties":{"children":{"type":"array","items":{"$ref":"#/definitions/Node"}}}}}}}}}
            """);

        Assert.Equal("response_format.json_schema.schema", exception.Param);
        Assert.Contains("recursive", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Translate_SchemaWithSeveralTypes_Refused()
    {
        var exception = Refused("""
            {"messages":[{"role":"user","content":"Hi"}],"response_format":{"type":"json_schema","json_schema":{"name":"s","schema":{"type":["string","integer"]}}}}
            """);

        Assert.Equal("response_format.json_schema.schema", exception.Param);
    }

    [Fact]
    public void Translate_AnyOfWithSeveralAlternatives_KeptAsAnyOfNullable()
    {
        var result = Translate("""
            {"messages":[{"role":"user","content":"Hi"}],"response_format":{"type":"json_schema","json_schema":{"name":"s","schema":
             {"oneOf":[{"type":"string","title":"S"},{"type":"integer"},{"type":"null"}]}}}}
            """);

        Assert.Equal("""{"anyOf":[{"type":"string"},{"type":"integer"}],"nullable":true}""", result["generationConfig"]!["responseSchema"]!.ToJsonString());
    }

    [Theory]
    [InlineData("minimal", """{"thinkingBudget":128,"includeThoughts":true}""")]
    [InlineData("low", """{"thinkingBudget":1024,"includeThoughts":true}""")]
    [InlineData("medium", """{"thinkingBudget":2048,"includeThoughts":true}""")]
    [InlineData("high", """{"thinkingBudget":4096,"includeThoughts":true}""")]
    [InlineData("none", """{"thinkingBudget":0}""")]
    [InlineData("disable", """{"thinkingBudget":0}""")]
    public void Translate_ReasoningEffort_ThinkingBudgetInGenerationConfig(string effort, string thinkingConfig)
    {
        var result = Translate($$"""{"messages":[{"role":"user","content":"Hi"}],"reasoning_effort":"{{effort}}"}""");

        Assert.Equal(thinkingConfig, result["generationConfig"]!["thinkingConfig"]!.ToJsonString());
    }

    [Fact]
    public void Translate_UnknownReasoningEffort_Refused()
    {
        Assert.Equal("reasoning_effort", Refused("""{"messages":[{"role":"user","content":"Hi"}],"reasoning_effort":"extreme"}""").Param);
    }

    [Theory]
    [InlineData("""{"type":"enabled","budget_tokens":3000}""", """{"thinkingBudget":3000,"includeThoughts":true}""")]
    [InlineData("""{"type":"disabled"}""", """{"thinkingBudget":0}""")]
    [InlineData("""{"type":"enabled"}""", """{"includeThoughts":true}""")]
    public void Translate_AnthropicThinking_ThinkingBudget(string thinking, string thinkingConfig)
    {
        var result = Translate($$"""{"messages":[{"role":"user","content":"Hi"}],"thinking":{{thinking}}}""");

        Assert.Equal(thinkingConfig, result["generationConfig"]!["thinkingConfig"]!.ToJsonString());
    }

    [Fact]
    public void Translate_Tools_FunctionDeclarationsWithCleanedParameters()
    {
        var result = Translate("""
            {"messages":[{"role":"user","content":"Hi"}],"tools":[
             {"type":"function","function":{"name":"get_weather","description":"Weather","strict":true,"parameters":
               {"type":"object","properties":{"city":{"type":"string"},"unit":{"anyOf":[{"type":"string","enum":["C","F"]},{"type":"null"}]}},
                "required":["city"],"additionalProperties":false}}},
             {"type":"function","function":{"name":"now","parameters":{"type":"object","properties":{}}}},
             {"type":"function","function":{"name":"ping"}}]}
            """);

        Assert.Equal(
            """[{"functionDeclarations":[{"name":"get_weather","description":"Weather","parameters":{"type":"object","properties":{"city":{"type":"string"},"unit":{"type":"string","enum":["C","F"],"nullable":true}},"required":["city"]}},{"name":"now"},{"name":"ping"}]}]""",
            result["tools"]!.ToJsonString());
        Assert.Null(result["toolConfig"]);
    }

    [Theory]
    [InlineData("\"none\"", """{"mode":"NONE"}""")]
    [InlineData("\"auto\"", """{"mode":"AUTO"}""")]
    [InlineData("\"required\"", """{"mode":"ANY"}""")]
    [InlineData("""{"type":"function","function":{"name":"get_weather"}}""", """{"mode":"ANY","allowedFunctionNames":["get_weather"]}""")]
    public void Translate_ToolChoice_FunctionCallingConfig(string toolChoice, string config)
    {
        var result = Translate($$$"""
            {"messages":[{"role":"user","content":"Hi"}],"tools":[{"type":"function","function":{"name":"get_weather"}}],"tool_choice":{{{toolChoice}}}}
            """);

        Assert.Equal(config, result["toolConfig"]!["functionCallingConfig"]!.ToJsonString());
    }

    [Fact]
    public void Translate_NonFunctionTool_Refused()
    {
        Assert.Equal("tools[0]", Refused("""{"messages":[{"role":"user","content":"Hi"}],"tools":[{"type":"web_search_preview"}]}""").Param);
    }

    [Theory]
    [InlineData("audio", """{"voice":"alloy","format":"wav"}""")]
    [InlineData("prediction", """{"type":"content","content":"x"}""")]
    [InlineData("web_search_options", "{}")]
    [InlineData("functions", """[{"name":"f"}]""")]
    [InlineData("function_call", "\"auto\"")]
    [InlineData("logit_bias", """{"50256":-100}""")]
    [InlineData("modalities", """["text","audio"]""")]
    [InlineData("response_format", """{"type":"grammar"}""")]
    [InlineData("tool_choice", "\"sometimes\"")]
    public void Translate_UnmappableParameter_RefusedNamingIt(string name, string value)
    {
        var exception = Refused($$"""{"messages":[{"role":"user","content":"Hi"}],"{{name}}":{{value}}}""");

        Assert.Equal(name, exception.Param);
    }

    [Fact]
    public void Translate_HarmlessOpenAiOnlyKeys_Ignored()
    {
        var result = Translate("""
            {"model":"m","messages":[{"role":"user","content":"Hi"}],"logit_bias":{},"modalities":["text"],"mock_response":"x","user":"u"}
            """);

        Assert.Equal(["contents"], result.AsObject().Select(p => p.Key));
    }

    [Fact]
    public void Translate_SafetySettings_PassedThrough()
    {
        var result = Translate("""
            {"messages":[{"role":"user","content":"Hi"}],"safety_settings":[{"category":"HARM_CATEGORY_HARASSMENT","threshold":"BLOCK_NONE"}]}
            """);

        Assert.Equal("""[{"category":"HARM_CATEGORY_HARASSMENT","threshold":"BLOCK_NONE"}]""", result["safetySettings"]!.ToJsonString());
    }

    [Theory]
    [InlineData("cachedContent")]
    [InlineData("cached_content")]
    public void Translate_CachedContentAndLabels_GenerateContentFields(string cacheName)
    {
        var result = Translate("""
            {"messages":[{"role":"user","content":"Hi"}],"CACHE":"cachedContents/abc","labels":{"team":"a"}}
            """.Replace("CACHE", cacheName, StringComparison.Ordinal));

        Assert.Equal(("cachedContents/abc", """{"team":"a"}"""), (result["cachedContent"]!.GetValue<string>(), result["labels"]!.ToJsonString()));
        Assert.Null(result["cached_content"]);
    }

    [Theory]
    [InlineData("[]", null)]
    [InlineData("""{"messages":{}}""", "messages")]
    [InlineData("""{"messages":[]}""", "messages")]
    [InlineData("""{"messages":[{"role":"function","content":"x"}]}""", "messages[0].role")]
    [InlineData("""{"messages":["Hi"]}""", "messages[0]")]
    public void Translate_MalformedRequest_Refused(string body, string? param)
    {
        Assert.Equal(param, Refused(body).Param);
    }
}
