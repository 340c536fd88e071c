using System.Text;
using System.Text.Json.Nodes;
using LlmGate.Providers;
using LlmGate.Providers.Aws;

namespace LlmGate.Tests.Providers.Aws;

public sealed class BedrockConverseRequestTranslatorTests
{
    private const string Claude = "us.anthropic.claude-3-5-haiku-20241022-v1:0";

    private static JsonNode Translate(string openAi, bool dropUnsupported = false, string? modelId = Claude) =>
        JsonNode.Parse(BedrockConverseRequestTranslator.Translate(Encoding.UTF8.GetBytes(openAi), dropUnsupported, modelId).Body)!;

    private static ProviderRequestException Refused(string openAi, bool dropUnsupported = false, string? modelId = Claude) =>
        Assert.Throws<ProviderRequestException>(() => BedrockConverseRequestTranslator.Translate(Encoding.UTF8.GetBytes(openAi), dropUnsupported, modelId));

    [Fact]
    public void Translate_ReferenceExample_ConverseBody()
    {
        var result = Translate("""
            {"model":"bedrock/claude","stream":true,"stream_options":{"include_usage":true},
             "messages":[{"role":"system","content":"You are terse."},
              {"role":"user","content":[{"type":"text","text":"Weather?"},{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}}]},
              {"role":"assistant","content":null,"tool_calls":[{"id":"tooluse_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},
              {"role":"tool","tool_call_id":"tooluse_1","content":"18C"}],
             "max_tokens":256,"temperature":0.2,"top_p":0.9,"stop":["END"],
             "tools":[{"type":"function","function":{"name":"get_weather","description":"Weather of a city.","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}],
             "tool_choice":"auto","top_k":50}
            """);

        Assert.Equal(
            """{"system":[{"text":"You are terse."}],"messages":[{"role":"user","content":[{"text":"Weather?"},{"image":{"format":"png","source":{"bytes":"iVBORw0KGgo="}}}]},{"role":"assistant","content":[{"toolUse":{"toolUseId":"tooluse_1","name":"get_weather","input":{"city":"Paris"}}}]},{"role":"user","content":[{"toolResult":{"toolUseId":"tooluse_1","content":[{"text":"18C"}],"status":"success"}}]}],"inferenceConfig":{"maxTokens":256,"temperature":0.2,"topP":0.9,"stopSequences":["END"]},"toolConfig":{"tools":[{"toolSpec":{"name":"get_weather","description":"Weather of a city.","inputSchema":{"json":{"type":"object","properties":{"city":{"type":"string"}}}}}}],"toolChoice":{"auto":{}}},"additionalModelRequestFields":{"top_k":50}}""",
            result.ToJsonString());
    }

    [Fact]
    public void Translate_MinimalRequest_OnlyMessages()
    {
        Assert.Equal("""{"messages":[{"role":"user","content":[{"text":"Hi"}]}]}""", Translate("""{"model":"m","messages":[{"role":"user","content":"Hi"}]}""").ToJsonString());
    }

    [Fact]
    public void Translate_SystemAndDeveloper_SystemBlocksInOrder()
    {
        var result = Translate("""{"messages":[{"role":"system","content":"A"},{"role":"user","content":"Hi"},{"role":"developer","content":[{"type":"text","text":"B"}]}]}""");

        Assert.Equal("""[{"text":"A"},{"text":"B"}]""", result["system"]!.ToJsonString());
        Assert.Single(result["messages"]!.AsArray());
    }

    [Fact]
    public void Translate_ConsecutiveRolesAndToolResults_MergedIntoAlternatingTurns()
    {
        var result = Translate("""
            {"messages":[{"role":"user","content":"a"},{"role":"user","content":"b"},
             {"role":"assistant","content":"c","tool_calls":[{"id":"t1","type":"function","function":{"name":"f","arguments":""}},{"id":"t2","type":"function","function":{"name":"f","arguments":"{}"}}]},
             {"role":"tool","tool_call_id":"t1","content":[{"type":"text","text":"r1"}]},{"role":"tool","tool_call_id":"t2","content":"r2"},
             {"role":"user","content":"d"}],
             "tools":[{"type":"function","function":{"name":"f"}}]}
            """);

        var messages = result["messages"]!.AsArray();
        Assert.Equal(["user", "assistant", "user"], messages.Select(m => m!["role"]!.GetValue<string>()));
        Assert.Equal("""[{"text":"a"},{"text":"b"}]""", messages[0]!["content"]!.ToJsonString());
        Assert.Equal(
            """[{"text":"c"},{"toolUse":{"toolUseId":"t1","name":"f","input":{}}},{"toolUse":{"toolUseId":"t2","name":"f","input":{}}}]""",
            messages[1]!["content"]!.ToJsonString());
        Assert.Equal(
            """[{"toolResult":{"toolUseId":"t1","content":[{"text":"r1"}],"status":"success"}},{"toolResult":{"toolUseId":"t2","content":[{"text":"r2"}],"status":"success"}},{"text":"d"}]""",
            messages[2]!["content"]!.ToJsonString());
        Assert.Equal(
            """{"tools":[{"toolSpec":{"name":"f","description":"f","inputSchema":{"json":{"type":"object","properties":{}}}}}]}""",
            result["toolConfig"]!.ToJsonString());
    }

    [Fact]
    public void Translate_EmptyAssistantMessage_LeftOutAndNeighboursMerged()
    {
        var result = Translate("""{"messages":[{"role":"user","content":"a"},{"role":"assistant","content":""},{"role":"user","content":"b"}]}""");

        Assert.Equal("""[{"role":"user","content":[{"text":"a"},{"text":"b"}]}]""", result["messages"]!.ToJsonString());
    }

    [Fact]
    public void Translate_EmptyToolResult_EmptyTextAsLiteLlmSendsIt()
    {
        var result = Translate("""
            {"messages":[{"role":"user","content":"a"},{"role":"assistant","tool_calls":[{"id":"t1","type":"function","function":{"name":"f","arguments":"{}"}}]},
             {"role":"tool","tool_call_id":"t1","content":""}],"tools":[{"type":"function","function":{"name":"f"}}]}
            """);

        Assert.Equal("""[{"toolResult":{"toolUseId":"t1","content":[{"text":""}],"status":"success"}}]""", result["messages"]![2]!["content"]!.ToJsonString());
    }

    [Fact]
    public void Translate_CacheControl_CachePointAfterTheBlock()
    {
        var result = Translate("""
            {"messages":[{"role":"system","content":[{"type":"text","text":"Long rules","cache_control":{"type":"ephemeral"}}]},
             {"role":"user","content":"Long document","cache_control":{"type":"ephemeral"}}]}
            """);

        Assert.Equal("""[{"text":"Long rules"},{"cachePoint":{"type":"default"}}]""", result["system"]!.ToJsonString());
        Assert.Equal("""[{"text":"Long document"},{"cachePoint":{"type":"default"}}]""", result["messages"]![0]!["content"]!.ToJsonString());
    }

    [Theory]
    [InlineData("image/png", "png")]
    [InlineData("image/jpeg", "jpeg")]
    [InlineData("image/jpg", "jpeg")]
    [InlineData("IMAGE/GIF", "gif")]
    [InlineData("image/webp", "webp")]
    public void Translate_DataUrlImage_FormatAndBytes(string mediaType, string format)
    {
        var result = Translate($$"""{"messages":[{"role":"user","content":[{"type":"image_url","image_url":"data:{{mediaType}};base64,AAAA"}]}]}""");

        Assert.Equal($$$$"""{"image":{"format":"{{{{format}}}}","source":{"bytes":"AAAA"}}}""", result["messages"]![0]!["content"]![0]!.ToJsonString());
    }

    [Fact]
    public void Translate_HttpImageUrl_RefusedSayingConverseNeedsBytes()
    {
        var exception = Refused("""{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"https://example.com/cat.png"}}]}]}""");

        Assert.Equal("messages[0].content[0]", exception.Param);
        Assert.Contains("base64 data URL", exception.Message, StringComparison.Ordinal);
        Assert.Contains("not a URL", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Translate_UnsupportedImageFormat_Refused()
    {
        var exception = Refused("""{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/tiff;base64,AAAA"}}]}]}""");

        Assert.Contains("png, jpeg, gif and webp", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"messages":[{"role":"system","content":[{"type":"image_url","image_url":{"url":"data:image/png;base64,AA"}}]}]}""", "messages[0].content[0]")]
    [InlineData("""{"messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"AA","format":"wav"}}]}]}""", "messages[0].content[0]")]
    [InlineData("""{"messages":[{"role":"function","content":"x"}]}""", "messages[0].role")]
    [InlineData("""{"messages":"hi"}""", "messages")]
    [InlineData("""{"messages":[{"role":"assistant","tool_calls":[{"id":"t","type":"function","function":{"name":"f","arguments":"[1]"}}]}],"tools":[{"type":"function","function":{"name":"f"}}]}""", "messages[0].tool_calls[0].function.arguments")]
    [InlineData("""{"messages":[{"role":"tool","content":"x"}],"tools":[{"type":"function","function":{"name":"f"}}]}""", "messages[0].tool_call_id")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"tools":[{"type":"retrieval"}]}""", "tools[0]")]
    public void Translate_WhatConverseCannotTake_RefusedNamingTheField(string body, string param)
    {
        Assert.Equal(param, Refused(body).Param);
    }

    [Fact]
    public void Translate_ToolCallsWithoutTools_RefusedAsLiteLlmDoes()
    {
        var exception = Refused("""
            {"messages":[{"role":"user","content":"a"},{"role":"assistant","tool_calls":[{"id":"t1","type":"function","function":{"name":"f","arguments":"{}"}}]},
             {"role":"tool","tool_call_id":"t1","content":"r"}]}
            """);

        Assert.Equal("tools", exception.Param);
    }

    [Fact]
    public void Translate_MaxCompletionTokens_WinsOverMaxTokens()
    {
        Assert.Equal(100, Translate("""{"messages":[{"role":"user","content":"a"}],"max_tokens":50,"max_completion_tokens":100}""")["inferenceConfig"]!["maxTokens"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("\"END\"", """["END"]""")]
    [InlineData("[\"A\",\"\",\"B\"]", """["A","B"]""")]
    [InlineData("\"\"", null)]
    [InlineData("[\"\"]", null)]
    [InlineData("null", null)]
    public void Translate_Stop_StopSequencesWithoutEmptyStrings(string stop, string? expected)
    {
        var result = Translate($$"""{"messages":[{"role":"user","content":"a"}],"stop":{{stop}}}""");

        Assert.Equal(expected, result["inferenceConfig"]?["stopSequences"]?.ToJsonString());
    }

    [Theory]
    [InlineData("\"auto\"", """{"auto":{}}""")]
    [InlineData("\"required\"", """{"any":{}}""")]
    [InlineData("""{"type":"function","function":{"name":"f"}}""", """{"tool":{"name":"f"}}""")]
    public void Translate_ToolChoice_ConverseChoice(string toolChoice, string expected)
    {
        var result = Translate($$$"""{"messages":[{"role":"user","content":"a"}],"tools":[{"type":"function","function":{"name":"f"}}],"tool_choice":{{{toolChoice}}}}""");

        Assert.Equal(expected, result["toolConfig"]!["toolChoice"]!.ToJsonString());
    }

    [Fact]
    public void Translate_ToolChoiceNone_RefusedOrDroppedWithDropParams()
    {
        const string Body = """{"messages":[{"role":"user","content":"a"}],"tools":[{"type":"function","function":{"name":"f"}}],"tool_choice":"none"}""";

        var exception = Refused(Body);
        var dropped = Translate(Body, dropUnsupported: true);

        Assert.Equal("tool_choice", exception.Param);
        Assert.Contains("drop_params", exception.Message, StringComparison.Ordinal);
        Assert.Null(dropped["toolConfig"]!["toolChoice"]);
        Assert.NotNull(dropped["toolConfig"]!["tools"]);
    }

    [Fact]
    public void Translate_ToolChoiceWithoutTools_NoToolConfig()
    {
        Assert.Null(Translate("""{"messages":[{"role":"user","content":"a"}],"tool_choice":"auto","tools":[]}""")["toolConfig"]);
    }

    [Fact]
    public void Translate_JsonSchema_ForcedJsonToolAndJsonMode()
    {
        var translated = BedrockConverseRequestTranslator.Translate(Encoding.UTF8.GetBytes("""
            {"messages":[{"role":"user","content":"A cat?"}],
             "response_format":{"type":"json_schema","json_schema":{"name":"cat","description":"A cat.","schema":{"type":"object","properties":{"name":{"type":"string"}}},"strict":true}}}
            """), dropUnsupported: false, Claude);

        Assert.True(translated.JsonMode);
        Assert.Equal(
            """{"tools":[{"toolSpec":{"name":"json_tool_call","description":"A cat.","inputSchema":{"json":{"type":"object","properties":{"name":{"type":"string"}}}}}}],"toolChoice":{"tool":{"name":"json_tool_call"}}}""",
            JsonNode.Parse(translated.Body)!["toolConfig"]!.ToJsonString());
    }

    [Fact]
    public void Translate_JsonSchemaBesideTools_JsonToolLastAndForced()
    {
        var result = Translate("""
            {"messages":[{"role":"user","content":"a"}],"tools":[{"type":"function","function":{"name":"f"}}],"tool_choice":"auto",
             "response_format":{"type":"json_schema","json_schema":{"name":"x"}}}
            """);

        Assert.Equal(["f", "json_tool_call"], result["toolConfig"]!["tools"]!.AsArray().Select(t => t!["toolSpec"]!["name"]!.GetValue<string>()));
        Assert.Equal("""{"tool":{"name":"json_tool_call"}}""", result["toolConfig"]!["toolChoice"]!.ToJsonString());
        Assert.Equal("""{"json":{"type":"object","properties":{}}}""", result["toolConfig"]!["tools"]![1]!["toolSpec"]!["inputSchema"]!.ToJsonString());
    }

    [Fact]
    public void Translate_JsonSchemaWhileThinking_JsonToolNotForced()
    {
        var result = Translate("""
            {"messages":[{"role":"user","content":"a"}],"thinking":{"type":"enabled","budget_tokens":2000},
             "response_format":{"type":"json_schema","json_schema":{"name":"x","schema":{"type":"object"}}}}
            """);

        Assert.Null(result["toolConfig"]!["toolChoice"]);
        Assert.Equal("""{"thinking":{"type":"enabled","budget_tokens":2000}}""", result["additionalModelRequestFields"]!.ToJsonString());
    }

    [Fact]
    public void Translate_TextResponseFormat_NotJsonMode()
    {
        var translated = BedrockConverseRequestTranslator.Translate(
            Encoding.UTF8.GetBytes("""{"messages":[{"role":"user","content":"a"}],"response_format":{"type":"text"}}"""), dropUnsupported: false);

        Assert.False(translated.JsonMode);
        Assert.Null(JsonNode.Parse(translated.Body)!["toolConfig"]);
    }

    [Fact]
    public void Translate_JsonObjectWithoutSchema_RefusedOrDroppedWithDropParams()
    {
        const string Body = """{"messages":[{"role":"user","content":"a"}],"response_format":{"type":"json_object"}}""";

        Assert.Equal("response_format", Refused(Body).Param);
        var dropped = BedrockConverseRequestTranslator.Translate(Encoding.UTF8.GetBytes(Body), dropUnsupported: true);
        Assert.False(dropped.JsonMode);
        Assert.Null(JsonNode.Parse(dropped.Body)!["toolConfig"]);
    }

    [Theory]
    [InlineData("\"presence_penalty\":0.5", "presence_penalty")]
    [InlineData("\"frequency_penalty\":-1", "frequency_penalty")]
    [InlineData("\"logit_bias\":{\"50256\":-100}", "logit_bias")]
    [InlineData("\"logprobs\":true", "logprobs")]
    [InlineData("\"top_logprobs\":3", "top_logprobs")]
    [InlineData("\"seed\":42", "seed")]
    [InlineData("\"audio\":{\"voice\":\"alloy\",\"format\":\"wav\"}", "audio")]
    [InlineData("\"modalities\":[\"text\",\"audio\"]", "modalities")]
    [InlineData("\"n\":2", "n")]
    [InlineData("\"service_tier\":\"flex\"", "service_tier")]
    public void Translate_OpenAiParameterConverseLacks_RefusedInLiteLlmWordsOrDropped(string parameter, string name)
    {
        var body = $$"""{"messages":[{"role":"user","content":"a"}],{{parameter}}}""";

        var exception = Refused(body);
        var dropped = Translate(body, dropUnsupported: true);

        Assert.Equal(name, exception.Param);
        Assert.Equal($"bedrock does not support parameters: ['{name}']. To drop these, set `drop_params: true`.", exception.Message);
        Assert.Equal("""{"messages":[{"role":"user","content":[{"text":"a"}]}]}""", dropped.ToJsonString());
    }

    [Fact]
    public void Translate_SeveralUnsupportedParameters_AllNamed()
    {
        var exception = Refused("""{"messages":[{"role":"user","content":"a"}],"seed":1,"presence_penalty":1}""");

        Assert.Equal("bedrock does not support parameters: ['seed', 'presence_penalty']. To drop these, set `drop_params: true`.", exception.Message);
    }

    [Fact]
    public void Translate_OpenAiDefaults_NotRefused()
    {
        var result = Translate("""
            {"messages":[{"role":"user","content":"a"}],"presence_penalty":0,"frequency_penalty":0.0,"logprobs":false,"logit_bias":{},
             "n":1,"modalities":["text"],"seed":null,"service_tier":"auto"}
            """);

        Assert.Equal("""{"messages":[{"role":"user","content":[{"text":"a"}]}]}""", result.ToJsonString());
    }

    [Fact]
    public void Translate_GatewayAndLiteLlmOptions_Ignored()
    {
        var result = Translate("""
            {"model":"m","messages":[{"role":"user","content":"a"}],"stream":true,"stream_options":{"include_usage":true},"user":"u",
             "metadata":{"k":"v"},"store":true,"parallel_tool_calls":false,"mock_response":"x","drop_params":true,"num_retries":2,"timeout":30}
            """);

        Assert.Equal("""{"messages":[{"role":"user","content":[{"text":"a"}]}]}""", result.ToJsonString());
    }

    [Fact]
    public void Translate_ProviderSpecificKeys_AdditionalModelRequestFields()
    {
        var result = Translate("""
            {"messages":[{"role":"user","content":"a"}],"top_k":40,"thinking":{"type":"enabled","budget_tokens":1024},
             "reasoning_config":{"type":"enabled"},"anthropic_beta":["x"]}
            """);

        Assert.Equal(
            """{"thinking":{"type":"enabled","budget_tokens":1024},"reasoning_config":{"type":"enabled"},"anthropic_beta":["x"],"top_k":40}""",
            result["additionalModelRequestFields"]!.ToJsonString());
        Assert.Equal(5120, result["inferenceConfig"]!["maxTokens"]!.GetValue<int>());
    }

    [Fact]
    public void Translate_TopKForNova_NovasInferenceConfig()
    {
        var result = Translate("""{"messages":[{"role":"user","content":"a"}],"top_k":40}""", modelId: "us.amazon.nova-pro-v1:0");

        Assert.Equal("""{"inferenceConfig":{"topK":40}}""", result["additionalModelRequestFields"]!.ToJsonString());
    }

    [Theory]
    [InlineData("low", 1024)]
    [InlineData("medium", 2048)]
    [InlineData("high", 4096)]
    public void Translate_ReasoningEffortForClaude_ThinkingBudgetAndRoomForIt(string effort, int budget)
    {
        var result = Translate($$"""{"messages":[{"role":"user","content":"a"}],"reasoning_effort":"{{effort}}"}""");

        Assert.Equal($$$"""{"thinking":{"type":"enabled","budget_tokens":{{{budget}}}}}""", result["additionalModelRequestFields"]!.ToJsonString());
        Assert.Equal(budget + 4096, result["inferenceConfig"]!["maxTokens"]!.GetValue<int>());
    }

    [Fact]
    public void Translate_ReasoningEffortWithMaxTokensOrNone_MaxTokensKeptNoneIgnored()
    {
        Assert.Equal(64, Translate("""{"messages":[{"role":"user","content":"a"}],"reasoning_effort":"low","max_tokens":64}""")["inferenceConfig"]!["maxTokens"]!.GetValue<int>());
        Assert.Null(Translate("""{"messages":[{"role":"user","content":"a"}],"reasoning_effort":"none"}""")["additionalModelRequestFields"]);
    }

    [Fact]
    public void Translate_ReasoningEffortForOtherModels_UnsupportedParameter()
    {
        const string Body = """{"messages":[{"role":"user","content":"a"}],"reasoning_effort":"low"}""";

        Assert.Equal("reasoning_effort", Refused(Body, modelId: "meta.llama3-70b-instruct-v1:0").Param);
        Assert.Equal("reasoning_effort", Refused(Body, modelId: null).Param);
        Assert.Null(Translate(Body, dropUnsupported: true, modelId: null)["additionalModelRequestFields"]);
    }

    [Fact]
    public void Translate_UnknownReasoningEffort_Refused()
    {
        Assert.Equal("reasoning_effort", Refused("""{"messages":[{"role":"user","content":"a"}],"reasoning_effort":"extreme"}""").Param);
    }

    [Fact]
    public void Translate_GuardrailAndPerformanceConfig_PassedThroughTopLevel()
    {
        var result = Translate("""
            {"messages":[{"role":"user","content":"a"}],"guardrailConfig":{"guardrailIdentifier":"gr-1","guardrailVersion":"1"},"performanceConfig":{"latency":"optimized"}}
            """);

        Assert.Equal("""{"guardrailIdentifier":"gr-1","guardrailVersion":"1"}""", result["guardrailConfig"]!.ToJsonString());
        Assert.Equal("""{"latency":"optimized"}""", result["performanceConfig"]!.ToJsonString());
        Assert.Null(result["additionalModelRequestFields"]);
    }

    [Fact]
    public void Translate_NotAnObject_Refused()
    {
        Refused("[]");
    }
}
