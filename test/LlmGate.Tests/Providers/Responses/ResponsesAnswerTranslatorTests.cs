using System.ClientModel.Primitives;
using System.Text.Json.Nodes;
using LlmGate.Providers.Responses;
using OpenAI.Responses;

namespace LlmGate.Tests.Providers.Responses;

#pragma warning disable OPENAI001 // the SDK marks its Responses client experimental
public sealed class ResponsesAnswerTranslatorTests
{
    private const string TextAnswer = """
        {"id":"chatcmpl-abc","object":"chat.completion","created":1700000000,"model":"claude-x",
         "choices":[{"index":0,"message":{"role":"assistant","content":"Hello wörld"},"finish_reason":"stop"}],
         "usage":{"prompt_tokens":12,"completion_tokens":5,"total_tokens":17,"prompt_tokens_details":{"cached_tokens":4},"completion_tokens_details":{"reasoning_tokens":2}}}
        """;

    private const string ToolAnswer = """
        {"id":"chatcmpl-t","object":"chat.completion","created":1700000001,"model":"gemini-x",
         "choices":[{"index":0,"message":{"role":"assistant","content":"Checking.","reasoning_content":"The user wants weather.",
           "tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}},
                         {"id":"call_2","type":"function","function":{"name":"get_time","arguments":"{}"}}]},
           "finish_reason":"tool_calls"}],
         "usage":{"prompt_tokens":30,"completion_tokens":20,"total_tokens":50}}
        """;

    [Fact]
    public void FromChatCompletion_Text_MessageItemAndUsage()
    {
        var response = Translate(TextAnswer);

        Assert.Equal("resp_chatcmpl-abc", (string?)response["id"]);
        Assert.Equal("response", (string?)response["object"]);
        Assert.Equal(1700000000, (long?)response["created_at"]);
        Assert.Equal("completed", (string?)response["status"]);
        Assert.Equal("claude-x", (string?)response["model"]);
        Assert.Null(response["error"]);
        Assert.Null(response["incomplete_details"]);
        var output = response["output"]!.AsArray();
        var message = Assert.Single(output)!;
        Assert.Equal("message", (string?)message["type"]);
        Assert.Equal("msg_abc", (string?)message["id"]);
        Assert.Equal("completed", (string?)message["status"]);
        Assert.Equal("assistant", (string?)message["role"]);
        var part = Assert.Single(message["content"]!.AsArray())!;
        Assert.Equal("output_text", (string?)part["type"]);
        Assert.Equal("Hello wörld", (string?)part["text"]);
        Assert.Empty(part["annotations"]!.AsArray());
        var usage = response["usage"]!;
        Assert.Equal(12, (long?)usage["input_tokens"]);
        Assert.Equal(5, (long?)usage["output_tokens"]);
        Assert.Equal(17, (long?)usage["total_tokens"]);
        Assert.Equal(4, (long?)usage["input_tokens_details"]!["cached_tokens"]);
        Assert.Equal(2, (long?)usage["output_tokens_details"]!["reasoning_tokens"]);
        Assert.Null(response["output_text"]);
    }

    [Fact]
    public void FromChatCompletion_ToolCallsAndReasoning_ReasoningThenMessageThenCalls()
    {
        var output = Translate(ToolAnswer)["output"]!.AsArray();

        Assert.Equal(["reasoning", "message", "function_call", "function_call"], output.Select(item => (string?)item!["type"]));
        Assert.Equal("summary_text", (string?)output[0]!["summary"]![0]!["type"]);
        Assert.Equal("The user wants weather.", (string?)output[0]!["summary"]![0]!["text"]);
        Assert.Equal("Checking.", (string?)output[1]!["content"]![0]!["text"]);
        var call = output[2]!;
        Assert.Equal("fc_call_1", (string?)call["id"]);
        Assert.Equal("call_1", (string?)call["call_id"]);
        Assert.Equal("get_weather", (string?)call["name"]);
        Assert.Equal("""{"city":"Paris"}""", (string?)call["arguments"]);
        Assert.Equal("completed", (string?)call["status"]);
        Assert.Equal("get_time", (string?)output[3]!["name"]);
    }

    [Fact]
    public void FromChatCompletion_OnlyToolCalls_NoMessageItem()
    {
        var output = Translate("""
            {"id":"chatcmpl-n","created":1,"model":"m","choices":[{"message":{"role":"assistant","content":null,
             "tool_calls":[{"id":"call_9","type":"function","function":{"name":"f","arguments":"{}"}}]},"finish_reason":"tool_calls"}]}
            """)["output"]!.AsArray();

        Assert.Equal("function_call", (string?)Assert.Single(output)!["type"]);
    }

    [Theory]
    [InlineData("length", "max_output_tokens")]
    [InlineData("content_filter", "content_filter")]
    public void FromChatCompletion_CutShort_IncompleteWithReason(string finishReason, string reason)
    {
        var response = Translate(TextAnswer.Replace("\"stop\"", $"\"{finishReason}\"", StringComparison.Ordinal));

        Assert.Equal("incomplete", (string?)response["status"]);
        Assert.Equal(reason, (string?)response["incomplete_details"]!["reason"]);
        Assert.Equal("incomplete", (string?)response["output"]![0]!["status"]);
    }

    [Fact]
    public void FromChatCompletion_NoUsage_UsageNull()
    {
        var response = Translate("""{"id":"chatcmpl-u","created":1,"model":"m","choices":[{"message":{"content":"hi"},"finish_reason":"stop"}]}""");

        Assert.Null(response["usage"]);
        Assert.Equal("completed", (string?)response["status"]);
    }

    [Fact]
    public void FromChatCompletion_ReadByOpenAiSdk_TextAndUsage()
    {
        var response = ModelReaderWriter.Read<ResponseResult>(BinaryData.FromBytes(ResponsesAnswerTranslator.FromChatCompletion(System.Text.Encoding.UTF8.GetBytes(TextAnswer))))!;

        Assert.Equal("resp_chatcmpl-abc", response.Id);
        Assert.Equal(ResponseStatus.Completed, response.Status);
        Assert.Equal("Hello wörld", response.GetOutputText());
        Assert.Equal(12, response.Usage.InputTokenCount);
        Assert.Equal(5, response.Usage.OutputTokenCount);
        Assert.Equal(4, response.Usage.InputTokenDetails.CachedTokenCount);
        Assert.Equal(2, response.Usage.OutputTokenDetails.ReasoningTokenCount);
    }

    [Fact]
    public void FromChatCompletion_ReadByOpenAiSdk_FunctionCallsAndReasoning()
    {
        var response = ModelReaderWriter.Read<ResponseResult>(BinaryData.FromBytes(ResponsesAnswerTranslator.FromChatCompletion(System.Text.Encoding.UTF8.GetBytes(ToolAnswer))))!;

        Assert.IsAssignableFrom<ReasoningResponseItem>(response.OutputItems[0]);
        Assert.IsAssignableFrom<MessageResponseItem>(response.OutputItems[1]);
        var call = Assert.IsAssignableFrom<FunctionCallResponseItem>(response.OutputItems[2]);
        Assert.Equal("call_1", call.CallId);
        Assert.Equal("get_weather", call.FunctionName);
        Assert.Equal("""{"city":"Paris"}""", call.FunctionArguments.ToString());
    }

    private static JsonNode Translate(string chat) =>
        JsonNode.Parse(ResponsesAnswerTranslator.FromChatCompletion(System.Text.Encoding.UTF8.GetBytes(chat)))!;
}
