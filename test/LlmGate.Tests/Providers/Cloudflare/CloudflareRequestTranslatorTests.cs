using System.Text;
using System.Text.Json.Nodes;
using LlmGate.Providers;
using LlmGate.Providers.Cloudflare;

namespace LlmGate.Tests.Providers.Cloudflare;

public sealed class CloudflareRequestTranslatorTests
{
    private const string Hi = """[{"role":"user","content":"Hi"}]""";

    private static JsonNode Translate(string openAi, bool stream = false) =>
        JsonNode.Parse(CloudflareRequestTranslator.Translate(Encoding.UTF8.GetBytes(openAi), stream))!;

    private static ProviderRequestException Refused(string openAi) =>
        Assert.Throws<ProviderRequestException>(() => CloudflareRequestTranslator.Translate(Encoding.UTF8.GetBytes(openAi), false));

    [Fact]
    public void Translate_Messages_ContentFlattenedToStringsNoModel()
    {
        var result = Translate("""
            {"model":"group","user":"u","stream_options":{"include_usage":true},
             "messages":[{"role":"developer","content":"Be brief."},{"role":"user","content":[{"type":"text","text":"Hello "},{"type":"text","text":"there"}],"name":"ann"},
                         {"role":"assistant","content":"Hi!"},{"role":"user","content":"Again"}]}
            """, stream: true);

        Assert.Equal(
            """{"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hello there"},{"role":"assistant","content":"Hi!"},{"role":"user","content":"Again"}],"stream":true}""",
            result.ToJsonString());
    }

    [Fact]
    public void Translate_NotStreamed_NoStreamField()
    {
        Assert.Null(Translate($$$"""{"messages":{{{Hi}}},"stream":false}""")["stream"]);
    }

    [Fact]
    public void Translate_ToolRoundTrip_CallsKeptResultsNamedByTheirCall()
    {
        var result = Translate("""
            {"messages":[{"role":"user","content":"Weather?"},
              {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{ \"city\": \"Paris\" }"}}]},
              {"role":"tool","tool_call_id":"call_1","content":"18C"}]}
            """);

        Assert.Equal(
            """[{"role":"user","content":"Weather?"},{"role":"assistant","content":"","tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\u0022city\u0022:\u0022Paris\u0022}"}}]},{"role":"tool","content":"18C","tool_call_id":"call_1","name":"get_weather"}]""",
            result["messages"]!.ToJsonString());
    }

    [Fact]
    public void Translate_Sampling_WorkersAiNames()
    {
        var result = Translate($$$"""
            {"messages":{{{Hi}}},"max_tokens":100,"max_completion_tokens":64,"temperature":0.6,"top_p":0.9,"top_k":20,"seed":3,
             "frequency_penalty":0.5,"presence_penalty":0.25,"n":1,"parallel_tool_calls":true}
            """);

        Assert.Equal(
            """{"messages":[{"role":"user","content":"Hi"}],"max_tokens":64,"temperature":0.6,"top_p":0.9,"top_k":20,"seed":3,"frequency_penalty":0.5,"presence_penalty":0.25}""",
            result.ToJsonString());
    }

    [Fact]
    public void Translate_Tools_FunctionsWithDescriptionAndParameters()
    {
        var result = Translate("""
            {"messages":[{"role":"user","content":"Hi"}],"tool_choice":"auto","tools":[
              {"type":"function","function":{"name":"get_weather","description":"Weather","strict":true,"parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}},
              {"type":"function","function":{"name":"now"}}]}
            """);

        Assert.Equal(
            """[{"type":"function","function":{"name":"get_weather","description":"Weather","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}},{"type":"function","function":{"name":"now","description":""}}]""",
            result["tools"]!.ToJsonString());
        Assert.Null(result["tool_choice"]);
    }

    [Fact]
    public void Translate_ToolChoiceNone_NoToolsOffered()
    {
        Assert.Null(Translate($$$"""{"messages":{{{Hi}}},"tool_choice":"none","tools":[{"type":"function","function":{"name":"f"}}]}""")["tools"]);
    }

    [Theory]
    [InlineData("""{"type":"text"}""", null)]
    [InlineData("""{"type":"json_object"}""", """{"type":"json_object"}""")]
    [InlineData("""{"type":"json_schema","json_schema":{"name":"p","schema":{"type":"object"}}}""", """{"type":"json_schema","json_schema":{"type":"object"}}""")]
    public void Translate_ResponseFormat_WorkersAiJsonMode(string format, string? expected)
    {
        Assert.Equal(expected, Translate($$$"""{"messages":{{{Hi}}},"response_format":{{{format}}}}""")["response_format"]?.ToJsonString());
    }

    [Theory]
    [InlineData("""{"messages":[{"role":"user","content":"Hi"}],"stop":["END"]}""", "stop")]
    [InlineData("""{"messages":[{"role":"user","content":"Hi"}],"n":3}""", "n")]
    [InlineData("""{"messages":[{"role":"user","content":"Hi"}],"logprobs":true}""", "logprobs")]
    [InlineData("""{"messages":[{"role":"user","content":"Hi"}],"tool_choice":"required","tools":[{"type":"function","function":{"name":"f"}}]}""", "tool_choice")]
    [InlineData("""{"messages":[{"role":"user","content":"Hi"}],"tool_choice":{"type":"function","function":{"name":"f"}}}""", "tool_choice")]
    [InlineData("""{"messages":[{"role":"user","content":"Hi"}],"response_format":{"type":"yaml"}}""", "response_format")]
    [InlineData("""{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"https://x/cat.png"}}]}]}""", "messages[0].content[0]")]
    [InlineData("""{"messages":[{"role":"function","content":"x"}]}""", "messages[0].role")]
    [InlineData("""{"messages":[{"role":"tool","content":"x"}]}""", "messages[0].tool_call_id")]
    [InlineData("""{"messages":[{"role":"assistant","tool_calls":[{"type":"function","function":{"name":"f"}}]}]}""", "messages[0].tool_calls[0].id")]
    [InlineData("""{"messages":[]}""", "messages")]
    public void Translate_WhatWorkersAiCannotTake_RefusedNamingTheField(string openAi, string param)
    {
        Assert.Equal(param, Refused(openAi).Param);
    }
}
