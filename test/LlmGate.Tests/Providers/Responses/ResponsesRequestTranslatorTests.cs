using System.Text;
using System.Text.Json.Nodes;
using LlmGate.Providers;
using LlmGate.Providers.Responses;

namespace LlmGate.Tests.Providers.Responses;

public sealed class ResponsesRequestTranslatorTests
{
    [Fact]
    public void ToChatCompletions_StringInputAndInstructions_SystemThenUser()
    {
        var chat = Translate("""{"model":"claude-x","instructions":"Be brief.","input":"Hi"}""");

        Assert.Equal("claude-x", (string?)chat["model"]);
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}]"""),
            chat["messages"]));
        Assert.Null(chat["stream"]);
        Assert.Null(chat["stream_options"]);
    }

    [Fact]
    public void ToChatCompletions_MessageItems_RolesAndContentParts()
    {
        var chat = Translate("""
            {"model":"m","input":[
              {"role":"developer","content":"Rules."},
              {"type":"message","role":"user","content":[
                {"type":"input_text","text":"What is this?"},
                {"type":"input_image","image_url":"data:image/png;base64,AAAA","detail":"low"},
                {"type":"input_file","filename":"a.pdf","file_data":"data:application/pdf;base64,BBBB"}]},
              {"type":"message","role":"assistant","content":[{"type":"output_text","text":"A cat.","annotations":[]}]},
              {"role":"system","content":[{"type":"input_text","text":"More rules."}]}]}
            """);

        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""
                [{"role":"system","content":"Rules."},
                 {"role":"user","content":[
                   {"type":"text","text":"What is this?"},
                   {"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA","detail":"low"}},
                   {"type":"file","file":{"file_data":"data:application/pdf;base64,BBBB","filename":"a.pdf"}}]},
                 {"role":"assistant","content":"A cat."},
                 {"role":"system","content":"More rules."}]
                """),
            chat["messages"]));
    }

    [Fact]
    public void ToChatCompletions_AgentsSdkFunctionCallingTurns_AssistantToolCallsAndToolMessages()
    {
        // As the Agents SDK replays a run: the user turn, the model's reasoning, text and parallel calls, their outputs.
        var chat = Translate("""
            {"model":"m","instructions":"You are a weather agent.","input":[
              {"role":"user","content":"Weather and time in Paris?"},
              {"type":"reasoning","id":"rs_1","summary":[]},
              {"type":"message","id":"msg_1","role":"assistant","status":"completed","content":[{"type":"output_text","text":"Let me check.","annotations":[]}]},
              {"type":"function_call","id":"fc_1","call_id":"call_1","name":"get_weather","arguments":"{\"city\":\"Paris\"}","status":"completed"},
              {"type":"function_call","id":"fc_2","call_id":"call_2","name":"get_time","arguments":"{}","status":"completed"},
              {"type":"function_call_output","call_id":"call_1","output":"18C"},
              {"type":"function_call_output","call_id":"call_2","output":"14:00"},
              {"type":"function_call","call_id":"call_3","name":"get_weather","arguments":"{\"city\":\"Lyon\"}"},
              {"type":"function_call_output","call_id":"call_3","output":[{"type":"input_text","text":"20C"}]},
              {"role":"user","content":"Thanks"}],
             "tools":[{"type":"function","name":"get_weather","description":"Weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}},"strict":true},
                      {"type":"function","name":"get_time","parameters":{"type":"object","properties":{}},"strict":null}],
             "tool_choice":"auto","parallel_tool_calls":true}
            """);

        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""
                [{"role":"system","content":"You are a weather agent."},
                 {"role":"user","content":"Weather and time in Paris?"},
                 {"role":"assistant","content":"Let me check.","tool_calls":[
                   {"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}},
                   {"id":"call_2","type":"function","function":{"name":"get_time","arguments":"{}"}}]},
                 {"role":"tool","tool_call_id":"call_1","content":"18C"},
                 {"role":"tool","tool_call_id":"call_2","content":"14:00"},
                 {"role":"assistant","content":null,"tool_calls":[
                   {"id":"call_3","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Lyon\"}"}}]},
                 {"role":"tool","tool_call_id":"call_3","content":"20C"},
                 {"role":"user","content":"Thanks"}]
                """),
            chat["messages"]));
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""
                [{"type":"function","function":{"name":"get_weather","description":"Weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}},"strict":true}},
                 {"type":"function","function":{"name":"get_time","parameters":{"type":"object","properties":{}}}}]
                """),
            chat["tools"]));
        Assert.Equal("auto", (string?)chat["tool_choice"]);
        Assert.True((bool?)chat["parallel_tool_calls"]);
    }

    [Theory]
    [InlineData("\"none\"", "\"none\"")]
    [InlineData("\"required\"", "\"required\"")]
    [InlineData("""{"type":"function","name":"get_time"}""", """{"type":"function","function":{"name":"get_time"}}""")]
    public void ToChatCompletions_ToolChoice_ChatForm(string toolChoice, string expected)
    {
        var chat = Translate($$"""{"model":"m","input":"x","tools":[{"type":"function","name":"get_time"}],"tool_choice":{{toolChoice}}}""");

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), chat["tool_choice"]));
    }

    [Fact]
    public void ToChatCompletions_Parameters_Mapped()
    {
        var chat = Translate("""
            {"model":"m","input":"x","temperature":0.2,"top_p":0.9,"max_output_tokens":300,"user":"u-1",
             "reasoning":{"effort":"high","summary":"auto"},"parallel_tool_calls":false,
             "metadata":{"k":"v"},"store":true,"truncation":"auto","include":["reasoning.encrypted_content"],"stream":true}
            """);

        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""
                {"model":"m","messages":[{"role":"user","content":"x"}],"parallel_tool_calls":false,"temperature":0.2,"top_p":0.9,
                 "user":"u-1","max_tokens":300,"reasoning_effort":"high","stream":true,"stream_options":{"include_usage":true}}
                """),
            chat));
    }

    [Fact]
    public void ToChatCompletions_JsonSchemaFormat_ResponseFormat()
    {
        var chat = Translate("""
            {"model":"m","input":"x","text":{"format":{"type":"json_schema","name":"answer","schema":{"type":"object","properties":{"a":{"type":"string"}}},"strict":true}}}
            """);

        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"type":"json_schema","json_schema":{"name":"answer","schema":{"type":"object","properties":{"a":{"type":"string"}}},"strict":true}}"""),
            chat["response_format"]));
    }

    [Theory]
    [InlineData("""{"format":{"type":"json_object"}}""", """{"type":"json_object"}""")]
    [InlineData("""{"format":{"type":"text"}}""", null)]
    public void ToChatCompletions_OtherFormats_ResponseFormatOrNone(string text, string? expected)
    {
        var chat = Translate($$"""{"model":"m","input":"x","text":{{text}}}""");

        Assert.True(JsonNode.DeepEquals(expected is null ? null : JsonNode.Parse(expected), chat["response_format"]));
    }

    [Theory]
    [InlineData("""{"previous_response_id":"resp_1"}""", "previous_response_id", "previous_response_id needs a deployment that stores responses (OpenAI, Azure); send the whole conversation in input instead.")]
    [InlineData("""{"background":true}""", "background", "background: true needs a deployment")]
    [InlineData("""{"conversation":"conv_1"}""", "conversation", "needs a deployment that stores conversations")]
    [InlineData("""{"tools":[{"type":"web_search_preview"}]}""", "tools[0]", "The built-in tool 'web_search_preview' runs only on OpenAI and Azure")]
    [InlineData("""{"tools":[{"type":"function","name":"f"},{"type":"file_search","vector_store_ids":["vs_1"]}]}""", "tools[1]", "'file_search'")]
    [InlineData("""{"tools":[{"type":"computer_use_preview"}]}""", "tools[0]", "'computer_use_preview'")]
    [InlineData("""{"tools":[{"type":"code_interpreter"}]}""", "tools[0]", "'code_interpreter'")]
    [InlineData("""{"tools":[{"type":"image_generation"}]}""", "tools[0]", "'image_generation'")]
    [InlineData("""{"tools":[{"type":"mcp","server_label":"x"}]}""", "tools[0]", "'mcp'")]
    [InlineData("""{"tool_choice":{"type":"web_search_preview"}}""", "tool_choice", "tool_choice of type 'web_search_preview'")]
    public void ToChatCompletions_WhatTheBridgeCannotHonour_Refused(string extra, string param, string message)
    {
        var body = JsonNode.Parse(extra)!.AsObject();
        body["model"] = "m";
        body["input"] = "x";

        var error = Assert.Throws<ProviderRequestException>(() => ResponsesRequestTranslator.ToChatCompletions(Encoding.UTF8.GetBytes(body.ToJsonString())));

        Assert.Equal(param, error.Param);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""[{"type":"item_reference","id":"msg_1"}]""", "input[0]", "item_reference")]
    [InlineData("""[{"type":"web_search_call","id":"ws_1","status":"completed"}]""", "input[0].type", "Input item type 'web_search_call'")]
    [InlineData("""[{"role":"user","content":[{"type":"input_image","file_id":"file_1"}]}]""", "input[0].content[0]", "file_id names a file stored by OpenAI")]
    [InlineData("""[{"role":"user","content":[{"type":"input_file","file_id":"file_1"}]}]""", "input[0].content[0]", "must give file_data")]
    [InlineData("""[{"role":"user","content":[{"type":"input_audio"}]}]""", "input[0].content[0].type", "Content part type 'input_audio'")]
    [InlineData("""[{"type":"function_call","name":"f","arguments":"{}"}]""", "input[0].call_id", "'input[0].call_id' is required.")]
    [InlineData("""[]""", "input", "'input' must not be empty.")]
    public void ToChatCompletions_InputTheBridgeCannotHonour_Refused(string input, string param, string message)
    {
        var error = Assert.Throws<ProviderRequestException>(() =>
            ResponsesRequestTranslator.ToChatCompletions(Encoding.UTF8.GetBytes($$"""{"model":"m","input":{{input}}}""")));

        Assert.Equal(param, error.Param);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToChatCompletions_NotAnObject_Refused()
    {
        Assert.Throws<ProviderRequestException>(() => ResponsesRequestTranslator.ToChatCompletions("[1]"u8));
        Assert.Throws<ProviderRequestException>(() => ResponsesRequestTranslator.ToChatCompletions("{"u8));
    }

    private static JsonNode Translate(string body) =>
        JsonNode.Parse(ResponsesRequestTranslator.ToChatCompletions(Encoding.UTF8.GetBytes(body)))!;
}
