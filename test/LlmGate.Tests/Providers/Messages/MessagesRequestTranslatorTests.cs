using System.Text;
using System.Text.Json.Nodes;
using LlmGate.Providers;
using LlmGate.Providers.Messages;

namespace LlmGate.Tests.Providers.Messages;

public sealed class MessagesRequestTranslatorTests
{
    // As Claude Code sends it: system blocks with cache_control, a big tool schema, a tool_use/tool_result round trip
    // with text after the result, thinking in the assistant turn, metadata.user_id.
    private const string ClaudeCodeBody = """
        {
          "model": "claude-sonnet-4-5",
          "max_tokens": 32000,
          "stream": true,
          "temperature": 1,
          "system": [
            {"type": "text", "text": "You are Claude Code, Anthropic's official CLI for Claude.", "cache_control": {"type": "ephemeral"}},
            {"type": "text", "text": "You are an interactive CLI tool.", "cache_control": {"type": "ephemeral"}}
          ],
          "messages": [
            {"role": "user", "content": [
              {"type": "text", "text": "<system-reminder>context</system-reminder>"},
              {"type": "text", "text": "List the files", "cache_control": {"type": "ephemeral"}}
            ]},
            {"role": "assistant", "content": [
              {"type": "thinking", "thinking": "I should run ls.", "signature": "sig"},
              {"type": "text", "text": "I'll list them."},
              {"type": "tool_use", "id": "toolu_01", "name": "Bash", "input": {"command": "ls -la", "description": "List files"}}
            ]},
            {"role": "user", "content": [
              {"type": "tool_result", "tool_use_id": "toolu_01", "content": [{"type": "text", "text": "a.txt"}, {"type": "text", "text": "b.txt"}]},
              {"type": "text", "text": "Now read a.txt"}
            ]}
          ],
          "tools": [
            {"name": "Bash", "description": "Executes a bash command", "input_schema": {
              "$schema": "http://json-schema.org/draft-07/schema#", "type": "object", "additionalProperties": false,
              "required": ["command"],
              "properties": {
                "command": {"type": "string", "description": "The command to execute"},
                "timeout": {"type": "number", "description": "Optional timeout in milliseconds (max 600000)"},
                "description": {"type": "string"},
                "run_in_background": {"type": "boolean"}
              }}},
            {"name": "Read", "description": "Reads a file", "input_schema": {"type": "object", "properties": {"file_path": {"type": "string"}}, "required": ["file_path"]}, "cache_control": {"type": "ephemeral"}}
          ],
          "metadata": {"user_id": "user_abc_account__session_1"},
          "thinking": {"type": "enabled", "budget_tokens": 31999}
        }
        """;

    private static JsonObject Translate(string body) =>
        JsonNode.Parse(MessagesRequestTranslator.ToChatCompletions(Encoding.UTF8.GetBytes(body)))!.AsObject();

    private static ProviderRequestException Refused(string body) =>
        Assert.Throws<ProviderRequestException>(() => MessagesRequestTranslator.ToChatCompletions(Encoding.UTF8.GetBytes(body)));

    [Fact]
    public void ToChatCompletions_ClaudeCodeBody_SystemJoinedAndCacheControlDropped()
    {
        var result = Translate(ClaudeCodeBody);

        var system = result["messages"]![0]!;
        Assert.Equal("system", system["role"]!.GetValue<string>());
        Assert.Equal("You are Claude Code, Anthropic's official CLI for Claude.\nYou are an interactive CLI tool.", system["content"]!.GetValue<string>());
        Assert.DoesNotContain("cache_control", result.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ToChatCompletions_ClaudeCodeBody_ToolRoundTripInOpenAiOrder()
    {
        var messages = Translate(ClaudeCodeBody)["messages"]!.AsArray();

        Assert.Equal(["system", "user", "assistant", "tool", "user"], messages.Select(m => m!["role"]!.GetValue<string>()));
        var user = messages[1]!["content"]!.AsArray();
        Assert.Equal(["<system-reminder>context</system-reminder>", "List the files"], user.Select(p => p!["text"]!.GetValue<string>()));

        var assistant = messages[2]!;
        Assert.Equal("I'll list them.", assistant["content"]!.GetValue<string>());
        var call = assistant["tool_calls"]![0]!;
        Assert.Equal(("toolu_01", "function", "Bash"), (call["id"]!.GetValue<string>(), call["type"]!.GetValue<string>(), call["function"]!["name"]!.GetValue<string>()));
        var arguments = JsonNode.Parse(call["function"]!["arguments"]!.GetValue<string>())!;
        Assert.Equal("ls -la", arguments["command"]!.GetValue<string>());

        Assert.Equal("toolu_01", messages[3]!["tool_call_id"]!.GetValue<string>());
        Assert.Equal("a.txt\nb.txt", messages[3]!["content"]!.GetValue<string>());
        Assert.Equal("Now read a.txt", messages[4]!["content"]!.GetValue<string>());
    }

    [Fact]
    public void ToChatCompletions_ClaudeCodeBody_ThinkingDroppedFromHistory()
    {
        var assistant = Translate(ClaudeCodeBody)["messages"]![2]!.ToJsonString();

        Assert.DoesNotContain("I should run ls.", assistant, StringComparison.Ordinal);
        Assert.DoesNotContain("sig", assistant, StringComparison.Ordinal);
    }

    [Fact]
    public void ToChatCompletions_ClaudeCodeBody_ToolsParametersAndStreamUsage()
    {
        var result = Translate(ClaudeCodeBody);

        Assert.Equal("claude-sonnet-4-5", result["model"]!.GetValue<string>());
        Assert.Equal(32000, result["max_tokens"]!.GetValue<int>());
        Assert.Equal(1, result["temperature"]!.GetValue<int>());
        Assert.True(result["stream"]!.GetValue<bool>());
        Assert.True(result["stream_options"]!["include_usage"]!.GetValue<bool>());
        Assert.Equal("user_abc_account__session_1", result["user"]!.GetValue<string>());
        Assert.Equal("high", result["reasoning_effort"]!.GetValue<string>());
        Assert.Null(result["thinking"]);
        Assert.Null(result["metadata"]);
        Assert.Null(result["system"]);

        var bash = result["tools"]![0]!;
        Assert.Equal("function", bash["type"]!.GetValue<string>());
        Assert.Equal("Bash", bash["function"]!["name"]!.GetValue<string>());
        Assert.Equal("Executes a bash command", bash["function"]!["description"]!.GetValue<string>());
        var schema = JsonNode.Parse(ClaudeCodeBody)!["tools"]![0]!["input_schema"];
        Assert.True(JsonNode.DeepEquals(schema, bash["function"]!["parameters"]));
        Assert.Equal("Read", result["tools"]![1]!["function"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public void ToChatCompletions_StringContentAndSystem_PlainMessages()
    {
        var result = Translate("""{"model":"m","max_tokens":10,"system":"Be brief.","messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello"},{"role":"user","content":"Bye"}]}""");

        var expected = JsonNode.Parse("""
            [{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello"},{"role":"user","content":"Bye"}]
            """);
        Assert.True(JsonNode.DeepEquals(expected, result["messages"]), result["messages"]!.ToJsonString());
        Assert.Null(result["stream"]);
        Assert.Null(result["stream_options"]);
    }

    [Fact]
    public void ToChatCompletions_Images_DataUrlAndUrl()
    {
        var content = Translate("""
            {"model":"m","max_tokens":10,"messages":[{"role":"user","content":[
              {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},
              {"type":"image","source":{"type":"url","url":"https://example.com/cat.jpg"}},
              {"type":"text","text":"What are these?"}]}]}
            """)["messages"]![0]!["content"]!.AsArray();

        Assert.Equal("image_url", content[0]!["type"]!.GetValue<string>());
        Assert.Equal("data:image/png;base64,iVBORw0KGgo=", content[0]!["image_url"]!["url"]!.GetValue<string>());
        Assert.Equal("https://example.com/cat.jpg", content[1]!["image_url"]!["url"]!.GetValue<string>());
        Assert.Equal("What are these?", content[2]!["text"]!.GetValue<string>());
    }

    [Fact]
    public void ToChatCompletions_ToolResultWithImageAndError_ImageFollowsAsUserMessage()
    {
        var messages = Translate("""
            {"model":"m","max_tokens":10,"messages":[
              {"role":"user","content":"Look"},
              {"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"Read","input":{"file_path":"a.png"}},{"type":"tool_use","id":"toolu_2","name":"Read","input":{}}]},
              {"role":"user","content":[
                {"type":"tool_result","tool_use_id":"toolu_1","content":[{"type":"image","source":{"type":"base64","media_type":"image/png","data":"AAAA"}}]},
                {"type":"tool_result","tool_use_id":"toolu_2","content":"File does not exist.","is_error":true}]}]}
            """)["messages"]!.AsArray();

        Assert.Equal(["user", "assistant", "tool", "tool", "user"], messages.Select(m => m!["role"]!.GetValue<string>()));
        Assert.Null(messages[1]!["content"]); // a turn of only tool calls: content null, as OpenAI writes it
        Assert.Equal(2, messages[1]!["tool_calls"]!.AsArray().Count);
        Assert.Equal("{}", messages[1]!["tool_calls"]![1]!["function"]!["arguments"]!.GetValue<string>());
        Assert.Contains("image", messages[2]!["content"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("Error: File does not exist.", messages[3]!["content"]!.GetValue<string>());
        Assert.Equal("data:image/png;base64,AAAA", messages[4]!["content"]![0]!["image_url"]!["url"]!.GetValue<string>());
    }

    [Fact]
    public void ToChatCompletions_PdfAndTextDocuments_FilePartAndText()
    {
        var content = Translate("""
            {"model":"m","max_tokens":10,"messages":[{"role":"user","content":[
              {"type":"document","title":"report.pdf","source":{"type":"base64","media_type":"application/pdf","data":"JVBERi0="}},
              {"type":"document","source":{"type":"text","media_type":"text/plain","data":"plain words"}},
              {"type":"text","text":"Summarise"}]}]}
            """)["messages"]![0]!["content"]!.AsArray();

        Assert.Equal("file", content[0]!["type"]!.GetValue<string>());
        Assert.Equal("report.pdf", content[0]!["file"]!["filename"]!.GetValue<string>());
        Assert.Equal("data:application/pdf;base64,JVBERi0=", content[0]!["file"]!["file_data"]!.GetValue<string>());
        Assert.Equal("plain words", content[1]!["text"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"type":"auto"}""", "\"auto\"", null)]
    [InlineData("""{"type":"any"}""", "\"required\"", null)]
    [InlineData("""{"type":"none"}""", "\"none\"", null)]
    [InlineData("""{"type":"tool","name":"Bash"}""", """{"type":"function","function":{"name":"Bash"}}""", null)]
    [InlineData("""{"type":"auto","disable_parallel_tool_use":true}""", "\"auto\"", false)]
    public void ToChatCompletions_ToolChoice_OpenAiForm(string toolChoice, string expected, bool? parallel)
    {
        var result = Translate($$$"""{"model":"m","max_tokens":1,"messages":[{"role":"user","content":"x"}],"tools":[{"name":"Bash","input_schema":{"type":"object"}}],"tool_choice":{{{toolChoice}}}}""");

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), result["tool_choice"]), result["tool_choice"]?.ToJsonString());
        Assert.Equal(parallel, result["parallel_tool_calls"]?.GetValue<bool>());
    }

    [Fact]
    public void ToChatCompletions_ToolChoiceWithoutTools_Dropped()
    {
        var result = Translate("""{"model":"m","max_tokens":1,"messages":[{"role":"user","content":"x"}],"tool_choice":{"type":"any","disable_parallel_tool_use":true}}""");

        Assert.Null(result["tool_choice"]);
        Assert.Null(result["parallel_tool_calls"]);
    }

    [Fact]
    public void ToChatCompletions_SamplingAndStops_MappedAndTopKDropped()
    {
        var result = Translate("""{"model":"m","max_tokens":100,"messages":[{"role":"user","content":"x"}],"stop_sequences":["###","END"],"top_p":0.9,"top_k":40,"service_tier":"auto","stream":false}""");

        Assert.Equal(["###", "END"], result["stop"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal(0.9, result["top_p"]!.GetValue<double>());
        Assert.Null(result["top_k"]);
        Assert.Null(result["service_tier"]);
        Assert.Null(result["stop_sequences"]);
        Assert.Null(result["stream"]);
    }

    [Theory]
    [InlineData("""{"type":"enabled","budget_tokens":1024}""", "low")]
    [InlineData("""{"type":"enabled","budget_tokens":2048}""", "medium")]
    [InlineData("""{"type":"enabled","budget_tokens":4095}""", "medium")]
    [InlineData("""{"type":"enabled","budget_tokens":4096}""", "high")]
    [InlineData("""{"type":"enabled","budget_tokens":500}""", "minimal")]
    [InlineData("""{"type":"adaptive"}""", "medium")]
    [InlineData("""{"type":"disabled"}""", null)]
    public void ToChatCompletions_Thinking_LiteLlmReasoningEffort(string thinking, string? effort)
    {
        var result = Translate($$"""{"model":"m","max_tokens":9000,"messages":[{"role":"user","content":"x"}],"thinking":{{thinking}}}""");

        Assert.Equal(effort, result["reasoning_effort"]?.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"type":"web_search_20250305","name":"web_search","max_uses":5}""", "web_search_20250305")]
    [InlineData("""{"type":"bash_20250124","name":"bash"}""", "bash_20250124")]
    public void ToChatCompletions_ServerTool_RefusedNamingIt(string tool, string type)
    {
        var error = Refused($$$"""{"model":"m","max_tokens":1,"messages":[{"role":"user","content":"x"}],"tools":[{"name":"Read","input_schema":{"type":"object"}},{{{tool}}}]}""");

        Assert.Contains(type, error.Message, StringComparison.Ordinal);
        Assert.Equal("tools[1].type", error.Param);
    }

    [Theory]
    [InlineData("""{"model":"m","max_tokens":1}""", "messages")]
    [InlineData("""{"model":"m","max_tokens":1,"messages":"hi"}""", "messages")]
    [InlineData("""{"model":"m","max_tokens":1,"messages":[]}""", "messages")]
    [InlineData("""{"max_tokens":1,"messages":[{"role":"user","content":"x"}]}""", "model")]
    [InlineData("""{"model":"m","max_tokens":"ten","messages":[{"role":"user","content":"x"}]}""", "max_tokens")]
    [InlineData("""{"model":"m","max_tokens":1,"messages":[{"role":"system","content":"x"}]}""", "messages[0].role")]
    [InlineData("""{"model":"m","max_tokens":1,"messages":[{"role":"user","content":5}]}""", "messages[0].content")]
    [InlineData("""{"model":"m","max_tokens":1,"messages":[{"role":"user","content":[{"type":"text","text":7}]}]}""", "messages[0].content[0].text")]
    [InlineData("""{"model":"m","max_tokens":1,"messages":[{"role":"user","content":[{"type":"search_result"}]}]}""", "messages[0].content[0].type")]
    [InlineData("""{"model":"m","max_tokens":1,"messages":[{"role":"user","content":[{"type":"document","source":{"type":"url","url":"https://x/a.pdf"}}]}]}""", "messages[0].content[0].source")]
    [InlineData("""{"model":"m","max_tokens":1,"messages":[{"role":"user","content":[{"type":"image","source":{"type":"file","file_id":"f"}}]}]}""", "messages[0].content[0].source")]
    [InlineData("""{"model":"m","max_tokens":1,"messages":[{"role":"user","content":[{"type":"tool_result","content":"x"}]}]}""", "messages[0].content[0].tool_use_id")]
    [InlineData("""{"model":"m","max_tokens":1,"messages":[{"role":"assistant","content":[{"type":"tool_use","name":"Bash","input":{}}]}]}""", "messages[0].content[0].id")]
    [InlineData("""{"model":"m","max_tokens":1,"messages":[{"role":"user","content":"x"}],"system":[{"type":"image"}]}""", "system[0]")]
    [InlineData("""{"model":"m","max_tokens":1,"messages":[{"role":"user","content":"x"}],"tools":[{"input_schema":{}}]}""", "tools[0].name")]
    [InlineData("""{"model":"m","max_tokens":1,"messages":[{"role":"user","content":"x"}],"tools":[{"name":"a"}],"tool_choice":{"type":"some"}}""", "tool_choice.type")]
    [InlineData("""{"model":"m","max_tokens":1,"messages":[{"role":"user","content":"x"}],"stop_sequences":"###"}""", "stop_sequences")]
    [InlineData("""{"model":"m","max_tokens":1,"messages":[{"role":"user","content":"x"}],"thinking":{"type":"on"}}""", "thinking.type")]
    public void ToChatCompletions_InvalidRequest_RefusedNamingTheField(string body, string param)
    {
        var error = Refused(body);

        Assert.Equal(param, error.Param);
        Assert.Contains(param.Split('.')[0].Split('[')[0], error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[1,2]")]
    [InlineData("{\"model\":")]
    public void ToChatCompletions_NotAnObject_Refused(string body) => Refused(body);
}
