using System.Text;
using System.Text.Json.Nodes;
using LlmGate.Providers;
using LlmGate.Providers.Cohere;

namespace LlmGate.Tests.Providers.Cohere;

public sealed class CohereRequestTranslatorTests
{
    private const string Hi = """[{"role":"user","content":"Hi"}]""";

    private static JsonNode Translate(string openAi, string model = "command-r-plus", bool stream = false) =>
        JsonNode.Parse(CohereRequestTranslator.Translate(Encoding.UTF8.GetBytes(openAi), model, stream))!;

    private static ProviderRequestException Refused(string openAi) =>
        Assert.Throws<ProviderRequestException>(() => CohereRequestTranslator.Translate(Encoding.UTF8.GetBytes(openAi), "command-r", false));

    [Fact]
    public void Translate_CohereOwnChatFields_PassedThrough()
    {
        var result = Translate("""
            {"messages":[{"role":"user","content":"Hi"}],"safety_mode":"STRICT","documents":[{"data":{"text":"a"}}],"citation_options":{"mode":"FAST"}}
            """);

        Assert.Equal(("STRICT", """[{"data":{"text":"a"}}]""", """{"mode":"FAST"}"""),
            (result["safety_mode"]!.GetValue<string>(), result["documents"]!.ToJsonString(), result["citation_options"]!.ToJsonString()));
    }

    [Fact]
    public void Translate_PlainChat_ModelStreamAndMessagesAsCohereTakesThem()
    {
        var result = Translate("""
            {"model":"my-group","stream":true,"user":"u-1","parallel_tool_calls":false,"stream_options":{"include_usage":true},"metadata":{"a":"b"},
             "messages":[{"role":"system","content":"Be brief."},{"role":"developer","content":[{"type":"text","text":"Use French."}]},
                         {"role":"user","content":"Hi","name":"ann"},{"role":"assistant","content":"Salut !"},{"role":"user","content":"Encore"}]}
            """, stream: true);

        Assert.Equal(
            """{"model":"command-r-plus","stream":true,"messages":[{"role":"system","content":"Be brief."},{"role":"system","content":[{"type":"text","text":"Use French."}]},{"role":"user","content":"Hi"},{"role":"assistant","content":"Salut !"},{"role":"user","content":"Encore"}]}""",
            result.ToJsonString());
    }

    [Fact]
    public void Translate_NotStreamed_StreamFalse()
    {
        Assert.False(Translate("""{"messages":[{"role":"user","content":"Hi"}]}""")["stream"]!.GetValue<bool>());
    }

    [Fact]
    public void Translate_UserImages_CohereImageUrlPartsWithDetail()
    {
        var result = Translate("""
            {"messages":[{"role":"user","content":[{"type":"text","text":"What is this?"},
              {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo=","detail":"high"}},
              {"type":"image_url","image_url":"https://example.com/cat.jpg"},
              {"type":"text","text":""}]}]}
            """);

        Assert.Equal(
            """[{"type":"text","text":"What is this?"},{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo=","detail":"high"}},{"type":"image_url","image_url":{"url":"https://example.com/cat.jpg"}}]""",
            result["messages"]![0]!["content"]!.ToJsonString());
    }

    [Fact]
    public void Translate_ToolRoundTrip_AssistantCallsKeptAndToolResultsByCallId()
    {
        var result = Translate("""
            {"messages":[{"role":"user","content":"Weather in Paris?"},
              {"role":"assistant","content":null,"tool_calls":[{"id":"get_weather_1","type":"function","function":{"name":"get_weather","arguments":"{ \"city\" : \"Paris\" }"}}]},
              {"role":"tool","tool_call_id":"get_weather_1","content":"18C"},
              {"role":"tool","tool_call_id":"get_weather_1","content":[{"type":"text","text":"sunny"}]}]}
            """);

        Assert.Equal(
            """[{"role":"user","content":"Weather in Paris?"},{"role":"assistant","tool_calls":[{"id":"get_weather_1","type":"function","function":{"name":"get_weather","arguments":"{\u0022city\u0022:\u0022Paris\u0022}"}}]},{"role":"tool","tool_call_id":"get_weather_1","content":"18C"},{"role":"tool","tool_call_id":"get_weather_1","content":[{"type":"text","text":"sunny"}]}]""",
            result["messages"]!.ToJsonString());
    }

    [Fact]
    public void Translate_AssistantTextAndCall_BothKept()
    {
        var result = Translate("""
            {"messages":[{"role":"user","content":"Hi"},
              {"role":"assistant","content":"Checking.","tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":""}}]}]}
            """);

        Assert.Equal(
            """{"role":"assistant","content":"Checking.","tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{}"}}]}""",
            result["messages"]![1]!.ToJsonString());
    }

    [Fact]
    public void Translate_Sampling_CohereNames()
    {
        var result = Translate($$$"""
            {"messages":{{{Hi}}},"max_tokens":100,"max_completion_tokens":50,"temperature":0.3,"top_p":0.9,"top_k":40,"stop":"END",
             "seed":7,"frequency_penalty":0.1,"presence_penalty":0.2,"n":1}
            """);

        Assert.Equal((50, 0.3, 0.9, 40, 7), (result["max_tokens"]!.GetValue<int>(), result["temperature"]!.GetValue<double>(), result["p"]!.GetValue<double>(),
            result["k"]!.GetValue<int>(), result["seed"]!.GetValue<int>()));
        Assert.Equal("""["END"]""", result["stop_sequences"]!.ToJsonString());
        Assert.Equal((0.1, 0.2), (result["frequency_penalty"]!.GetValue<double>(), result["presence_penalty"]!.GetValue<double>()));
        Assert.Null(result["n"]);
        Assert.Null(result["top_p"]);
        Assert.Null(result["max_completion_tokens"]);
    }

    [Theory]
    [InlineData(1.0, 0.99)]
    [InlineData(0.0, 0.01)]
    [InlineData(0.5, 0.5)]
    public void Translate_TopP_ClampedToCoheresRange(double topP, double p)
    {
        Assert.Equal(p, Translate("""{"messages":[{"role":"user","content":"Hi"}],"top_p":""" + topP.ToString(System.Globalization.CultureInfo.InvariantCulture) + "}")["p"]!.GetValue<double>());
    }

    [Fact]
    public void Translate_Tools_FunctionsWithParametersAndStrictForAll()
    {
        var result = Translate("""
            {"messages":[{"role":"user","content":"Hi"}],"tools":[
              {"type":"function","function":{"name":"get_weather","description":"Weather of a city","strict":true,
               "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"],"additionalProperties":false}}},
              {"type":"function","function":{"name":"now"}}]}
            """);

        Assert.Equal(
            """[{"type":"function","function":{"name":"get_weather","description":"Weather of a city","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"],"additionalProperties":false}}},{"type":"function","function":{"name":"now","parameters":{"type":"object","properties":{}}}}]""",
            result["tools"]!.ToJsonString());
        Assert.True(result["strict_tools"]!.GetValue<bool>());
        Assert.Null(result["tool_choice"]);
    }

    [Theory]
    [InlineData("\"auto\"", null)]
    [InlineData("\"none\"", "NONE")]
    [InlineData("\"required\"", "REQUIRED")]
    public void Translate_ToolChoice_CoheresWords(string choice, string? expected)
    {
        var result = Translate($$$"""{"messages":{{{Hi}}},"tools":[{"type":"function","function":{"name":"f"}}],"tool_choice":{{{choice}}}}""");

        Assert.Equal(expected, result["tool_choice"]?.GetValue<string>());
        Assert.Null(result["strict_tools"]);
    }

    [Fact]
    public void Translate_NamedToolChoice_ThatToolAloneAndRequired()
    {
        var result = Translate("""
            {"messages":[{"role":"user","content":"Hi"}],"tools":[{"type":"function","function":{"name":"a"}},{"type":"function","function":{"name":"b"}}],
             "tool_choice":{"type":"function","function":{"name":"b"}}}
            """);

        Assert.Equal("REQUIRED", result["tool_choice"]!.GetValue<string>());
        Assert.Equal("b", result["tools"]!.AsArray().Single()!["function"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public void Translate_ToolChoiceNoneWithoutTools_Omitted()
    {
        var result = Translate($$$"""{"messages":{{{Hi}}},"tool_choice":"none"}""");

        Assert.Null(result["tool_choice"]);
        Assert.Null(result["tools"]);
    }

    [Theory]
    [InlineData("""{"type":"text"}""", null)]
    [InlineData("""{"type":"json_object"}""", """{"type":"json_object"}""")]
    [InlineData("""{"type":"json_schema","json_schema":{"name":"p","strict":true,"schema":{"type":"object","properties":{"n":{"type":"string"}}}}}""",
        """{"type":"json_object","json_schema":{"type":"object","properties":{"n":{"type":"string"}}}}""")]
    public void Translate_ResponseFormat_CoheresJsonObject(string format, string? expected)
    {
        Assert.Equal(expected, Translate($$$"""{"messages":{{{Hi}}},"response_format":{{{format}}}}""")["response_format"]?.ToJsonString());
    }

    [Theory]
    [InlineData("""{"messages":[{"role":"user","content":"Hi"}],"n":2}""", "n")]
    [InlineData("""{"messages":[{"role":"user","content":"Hi"}],"logprobs":true}""", "logprobs")]
    [InlineData("""{"messages":[{"role":"user","content":"Hi"}],"reasoning_effort":"low"}""", "reasoning_effort")]
    [InlineData("""{"messages":[{"role":"user","content":"Hi"}],"audio":{"voice":"alloy"}}""", "audio")]
    [InlineData("""{"messages":[{"role":"user","content":"Hi"}],"logit_bias":{"50256":-100}}""", "logit_bias")]
    [InlineData("""{"messages":[{"role":"user","content":"Hi"}],"response_format":{"type":"xml"}}""", "response_format")]
    [InlineData("""{"messages":[{"role":"user","content":"Hi"}],"tool_choice":"required"}""", "tool_choice")]
    [InlineData("""{"messages":[{"role":"user","content":"Hi"}],"tools":[{"type":"function","function":{"name":"a"}}],"tool_choice":{"type":"function","function":{"name":"b"}}}""", "tool_choice")]
    [InlineData("""{"messages":[{"role":"user","content":"Hi"}],"tools":[{"type":"function","function":{"name":"a"}}],"tool_choice":"any"}""", "tool_choice")]
    [InlineData("""{"messages":[{"role":"user","content":"Hi"}],"tools":[{"type":"web_search"}]}""", "tools[0]")]
    [InlineData("""{"messages":[{"role":"function","name":"f","content":"x"}]}""", "messages[0].role")]
    [InlineData("""{"messages":[{"role":"system","content":[{"type":"image_url","image_url":{"url":"https://x/y.png"}}]}]}""", "messages[0].content[0]")]
    [InlineData("""{"messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"AAAA","format":"wav"}}]}]}""", "messages[0].content[0]")]
    [InlineData("""{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"gs://b/cat.png"}}]}]}""", "messages[0].content[0]")]
    [InlineData("""{"messages":[{"role":"tool","content":"18C"}]}""", "messages[0].tool_call_id")]
    [InlineData("""{"messages":[{"role":"assistant","tool_calls":[{"type":"function","function":{"name":"f","arguments":"{}"}}]}]}""", "messages[0].tool_calls[0].id")]
    [InlineData("""{"messages":[{"role":"assistant","tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"[1]"}}]}]}""", "messages[0].tool_calls[0].function.arguments")]
    [InlineData("""{"messages":[]}""", "messages")]
    public void Translate_WhatCohereCannotTake_RefusedNamingTheField(string openAi, string param)
    {
        Assert.Equal(param, Refused(openAi).Param);
    }
}
