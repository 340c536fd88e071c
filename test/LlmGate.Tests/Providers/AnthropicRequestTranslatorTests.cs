using System.Text;
using System.Text.Json.Nodes;
using LlmGate.Providers;

namespace LlmGate.Tests.Providers;

public sealed class AnthropicRequestTranslatorTests
{
    private static JsonNode Translate(string openAi, bool stream = false) =>
        JsonNode.Parse(AnthropicRequestTranslator.Translate(Encoding.UTF8.GetBytes(openAi), "claude-sonnet-4", stream))!;

    [Fact]
    public void Translate_SystemAndTurns_SystemTopLevelDefaultMaxTokensBlocks()
    {
        var result = Translate("""
            {"model":"claude","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"},
            {"role":"assistant","content":"Hello!"},{"role":"user","content":[{"type":"text","text":"How are you?"}]}]}
            """);

        Assert.Equal("claude-sonnet-4", result["model"]!.GetValue<string>());
        Assert.Equal(4096, result["max_tokens"]!.GetValue<int>());
        Assert.Equal("Be brief.", result["system"]!.GetValue<string>());
        var messages = result["messages"]!.AsArray();
        Assert.Equal(["user", "assistant", "user"], messages.Select(m => m!["role"]!.GetValue<string>()));
        Assert.Equal("""[{"type":"text","text":"How are you?"}]""", messages[2]!["content"]!.ToJsonString());
        Assert.Null(result["stream"]);
    }

    [Theory]
    [InlineData("minimal", 1024)]
    [InlineData("low", 1024)]
    [InlineData("medium", 2048)]
    [InlineData("high", 4096)]
    public void Translate_ReasoningEffort_ThinkingBudgetWithRoomForTheAnswer(string effort, int budget)
    {
        var result = Translate($$"""{"messages":[{"role":"user","content":"Hi"}],"reasoning_effort":"{{effort}}"}""");

        Assert.Equal($$"""{"type":"enabled","budget_tokens":{{budget}}}""", result["thinking"]!.ToJsonString());
        Assert.Equal(budget + 4096, result["max_tokens"]!.GetValue<int>());
        Assert.Null(result["reasoning_effort"]);
    }

    [Fact]
    public void Translate_ReasoningEffortWithOwnLimitOrThinkingOrNone_TheCallersChoiceKept()
    {
        Assert.Equal(8000, Translate("""{"messages":[{"role":"user","content":"Hi"}],"reasoning_effort":"low","max_tokens":8000}""")["max_tokens"]!.GetValue<int>());
        var own = Translate("""{"messages":[{"role":"user","content":"Hi"}],"reasoning_effort":"high","thinking":{"type":"enabled","budget_tokens":1500}}""");
        Assert.Equal(1500, own["thinking"]!["budget_tokens"]!.GetValue<int>());
        var none = Translate("""{"messages":[{"role":"user","content":"Hi"}],"reasoning_effort":"none"}""");
        Assert.Equal((null, 4096), (none["thinking"], none["max_tokens"]!.GetValue<int>()));
    }

    [Fact]
    public void Translate_UnknownReasoningEffort_RefusedNamingIt()
    {
        var exception = Assert.Throws<ProviderRequestException>(() => Translate("""{"messages":[{"role":"user","content":"Hi"}],"reasoning_effort":"max"}"""));

        Assert.Equal("reasoning_effort", exception.Param);
        Assert.Contains("'max'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Translate_TwoSystemMessages_SystemBlocks()
    {
        var result = Translate("""{"messages":[{"role":"system","content":"A"},{"role":"developer","content":"B"},{"role":"user","content":"Hi"}]}""");

        Assert.Equal("""[{"type":"text","text":"A"},{"type":"text","text":"B"}]""", result["system"]!.ToJsonString());
    }

    [Fact]
    public void Translate_Parameters_MappedToAnthropicNames()
    {
        var result = Translate("""
            {"messages":[{"role":"user","content":"Hi"}],"max_tokens":50,"max_completion_tokens":100,"stop":"END",
             "temperature":0.2,"top_p":0.9,"user":"user-42","presence_penalty":0.5}
            """, stream: true);

        Assert.Equal(100, result["max_tokens"]!.GetValue<int>());
        Assert.Equal("""["END"]""", result["stop_sequences"]!.ToJsonString());
        Assert.Equal(0.2, result["temperature"]!.GetValue<double>());
        Assert.Equal(0.9, result["top_p"]!.GetValue<double>());
        Assert.Equal("user-42", result["metadata"]!["user_id"]!.GetValue<string>());
        Assert.True(result["stream"]!.GetValue<bool>());
        Assert.Null(result["presence_penalty"]);
    }

    [Fact]
    public void Translate_Images_DataUrlToBase64AndHttpToUrlSource()
    {
        var result = Translate("""
            {"messages":[{"role":"user","content":[{"type":"text","text":"What is this?"},
             {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}},
             {"type":"image_url","image_url":{"url":"https://example.com/cat.jpg","detail":"high"}}]}]}
            """);

        var content = result["messages"]![0]!["content"]!.AsArray();
        Assert.Equal("""{"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}}""", content[1]!.ToJsonString());
        Assert.Equal("""{"type":"image","source":{"type":"url","url":"https://example.com/cat.jpg"}}""", content[2]!.ToJsonString());
    }

    [Fact]
    public void Translate_ToolsAndNamedChoice_InputSchemaAndToolChoice()
    {
        var result = Translate("""
            {"messages":[{"role":"user","content":"Weather?"}],
             "tools":[{"type":"function","function":{"name":"get_weather","description":"Weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}},
                      {"type":"function","function":{"name":"noop"}}],
             "tool_choice":{"type":"function","function":{"name":"get_weather"}},"parallel_tool_calls":false}
            """);

        var tools = result["tools"]!.AsArray();
        Assert.Equal("""{"name":"get_weather","description":"Weather","input_schema":{"type":"object","properties":{"city":{"type":"string"}}}}""", tools[0]!.ToJsonString());
        Assert.Equal("""{"name":"noop","input_schema":{"type":"object","properties":{}}}""", tools[1]!.ToJsonString());
        Assert.Equal("""{"type":"tool","name":"get_weather","disable_parallel_tool_use":true}""", result["tool_choice"]!.ToJsonString());
    }

    [Theory]
    [InlineData("auto", """{"type":"auto"}""")]
    [InlineData("none", """{"type":"none"}""")]
    [InlineData("required", """{"type":"any"}""")]
    public void Translate_ToolChoiceString_Mapped(string choice, string expected)
    {
        var result = Translate("""{"messages":[{"role":"user","content":"x"}],"tools":[{"type":"function","function":{"name":"f"}}],"tool_choice":""" + $"\"{choice}\"}}");

        Assert.Equal(expected, result["tool_choice"]!.ToJsonString());
    }

    [Fact]
    public void Translate_ToolCallsAndResults_ToolUseAndMergedToolResultTurn()
    {
        var result = Translate("""
            {"messages":[{"role":"user","content":"Weather in Paris and Rome?"},
             {"role":"assistant","content":null,"tool_calls":[
               {"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}},
               {"id":"call_2","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Rome\"}"}}]},
             {"role":"tool","tool_call_id":"call_1","content":"18C"},
             {"role":"tool","tool_call_id":"call_2","content":[{"type":"text","text":"21C"}]},
             {"role":"user","content":"Which is warmer?"}]}
            """);

        var messages = result["messages"]!.AsArray();
        Assert.Equal(["user", "assistant", "user"], messages.Select(m => m!["role"]!.GetValue<string>()));
        Assert.Equal(
            """[{"type":"tool_use","id":"call_1","name":"get_weather","input":{"city":"Paris"}},{"type":"tool_use","id":"call_2","name":"get_weather","input":{"city":"Rome"}}]""",
            messages[1]!["content"]!.ToJsonString());
        Assert.Equal(
            """[{"type":"tool_result","tool_use_id":"call_1","content":"18C"},{"type":"tool_result","tool_use_id":"call_2","content":[{"type":"text","text":"21C"}]},{"type":"text","text":"Which is warmer?"}]""",
            messages[2]!["content"]!.ToJsonString());
    }

    [Theory]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"n":2}""", "n")]
    [InlineData("""{"messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{}}]}]}""", "messages[0].content[0]")]
    [InlineData("""{"messages":[{"role":"function","name":"f","content":"x"}]}""", "messages[0].role")]
    [InlineData("""{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"ftp://x/y.png"}}]}]}""", "messages[0].content[0]")]
    [InlineData("""{"messages":[{"role":"assistant","tool_calls":[{"id":"c","function":{"name":"f","arguments":"{not json"}}]}]}""", "messages[0].tool_calls[0].function.arguments")]
    [InlineData("""{"messages":[{"role":"assistant","tool_calls":[{"id":"c","function":{"name":"f","arguments":"[1]"}}]}]}""", "messages[0].tool_calls[0].function.arguments")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"response_format":{"type":"json_schema"}}""", "response_format")]
    public void Translate_WhatAnthropicCannotTake_ThrowsWithParam(string openAi, string param)
    {
        var exception = Assert.Throws<ProviderRequestException>(() => Translate(openAi));

        Assert.Equal(param, exception.Param);
        Assert.Contains("anthropic", exception.Message + exception.Param, StringComparison.OrdinalIgnoreCase);
    }
}
