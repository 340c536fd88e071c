using System.Buffers;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LlmGate.Calls;
using LlmGate.Providers;
using LlmGate.Providers.Cloudflare;

namespace LlmGate.Tests.Providers.Cloudflare;

public sealed partial class CloudflareStreamTranslatorTests
{
    // As Workers AI streams it: data lines only, the padding "p", usage on the last event, then [DONE]; "ö" to be split.
    private const string TextStream = """
        data: {"response":"Hello","p":"abcdefghijklmnop"}

        data: {"response":" wörld","p":"abcdefgh"}

        data: {"response":"","usage":{"prompt_tokens":12,"completion_tokens":2,"total_tokens":14}}

        data: [DONE]


        """;

    private const string ToolStream = """
        data: {"response":"","tool_calls":[{"arguments":{"city":"Paris"},"name":"get_weather"}]}

        data: {"response":"","tool_calls":[{"id":"chatcmpl-tool-9","type":"function","function":{"name":"now","arguments":"{}"}}]}

        data: {"response":"","usage":{"prompt_tokens":30,"completion_tokens":5,"total_tokens":35}}

        data: [DONE]


        """;

    private const string ErrorStream = """
        data: {"response":"Hel"}

        data: {"errors":[{"code":3040,"message":"Capacity temporarily exceeded, please try again."}]}


        """;

    public static readonly TheoryData<string> Streams = new() { TextStream, ToolStream, ErrorStream };

    private static async Task<(string Output, CloudflareStreamTranslator Translator)> Run(string stream, int pieceSize, bool includeUsage = false, bool crlf = false)
    {
        var translator = new CloudflareStreamTranslator("@cf/meta/llama-3.1-8b-instruct", 1_700_000_000, includeUsage);
        return (await TranslatedStreams.RunAsync(translator, stream, pieceSize, crlf), translator);
    }

    private static List<JsonNode> Chunks(string output) => TranslatedStreams.Chunks(output);

    [GeneratedRegex("(chatcmpl|call)_?-?[0-9a-f]{24}")]
    private static partial Regex FreshId();

    [Fact]
    public async Task Translate_TextStream_RoleThenDeltasThenFinishAtDone()
    {
        var (output, translator) = await Run(TextStream, int.MaxValue);

        Assert.True(translator.Finished);
        Assert.EndsWith("}\n\ndata: [DONE]\n\n", output, StringComparison.Ordinal);
        var chunks = Chunks(output);
        Assert.Single(chunks.Select(c => c["id"]!.GetValue<string>()).Distinct());
        Assert.All(chunks, c => Assert.Equal("@cf/meta/llama-3.1-8b-instruct", c["model"]!.GetValue<string>()));
        Assert.Equal("""{"role":"assistant","content":""}""", chunks[0]["choices"]![0]!["delta"]!.ToJsonString());
        Assert.Equal("Hello wörld", string.Concat(chunks.Select(c => c["choices"]![0]!["delta"]!["content"]?.GetValue<string>())));
        Assert.Equal("""[{"index":0,"delta":{},"finish_reason":"stop"}]""", chunks[^1]["choices"]!.ToJsonString());
        Assert.Equal(new TokenUsage(12, 2), translator.Usage);
    }

    [Fact]
    public async Task Translate_ToolStream_WholeCallsByIndexFinishToolCalls()
    {
        var chunks = Chunks((await Run(ToolStream, int.MaxValue)).Output);

        var calls = chunks.Select(c => c["choices"]![0]!["delta"]!["tool_calls"]?.AsArray().Single()).OfType<JsonNode>().ToList();
        Assert.Equal(2, calls.Count);
        Assert.Equal(
            """{"index":0,"id":"call_X","type":"function","function":{"name":"get_weather","arguments":"{\u0022city\u0022:\u0022Paris\u0022}"}}""",
            FreshId().Replace(calls[0].ToJsonString(), "call_X"));
        Assert.Equal("""{"index":1,"id":"chatcmpl-tool-9","type":"function","function":{"name":"now","arguments":"{}"}}""", calls[1].ToJsonString());
        Assert.Equal("tool_calls", chunks[^1]["choices"]![0]!["finish_reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Translate_IncludeUsage_UsageChunkBeforeDone()
    {
        var chunks = Chunks((await Run(TextStream, int.MaxValue, includeUsage: true)).Output);

        Assert.Equal("[]", chunks[^1]["choices"]!.ToJsonString());
        Assert.Equal("""{"prompt_tokens":12,"completion_tokens":2,"total_tokens":14}""", chunks[^1]["usage"]!.ToJsonString());
    }

    [Fact]
    public async Task Translate_FinishReasonLength_Kept()
    {
        const string stream = """
            data: {"response":"cut","finish_reason":"length"}

            data: [DONE]


            """;

        var chunks = Chunks((await Run(stream, int.MaxValue)).Output);

        Assert.Equal("length", chunks[^1]["choices"]![0]!["finish_reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Translate_ErrorsEvent_OpenAiErrorEventAndFinished()
    {
        var (output, translator) = await Run(ErrorStream, int.MaxValue);

        Assert.True(translator.Finished);
        Assert.Equal("Capacity temporarily exceeded, please try again.", translator.ErrorMessage);
        Assert.DoesNotContain("[DONE]", output, StringComparison.Ordinal);
        var last = JsonNode.Parse(output.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)[^1]["data: ".Length..])!["error"]!;
        Assert.Equal(("rate_limit_error", "429"), (last["type"]!.GetValue<string>(), last["code"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Translate_NoDone_NotFinished()
    {
        var (_, translator) = await Run(TextStream.Replace("data: [DONE]", "", StringComparison.Ordinal), int.MaxValue);

        Assert.False(translator.Finished);
    }

    [Fact]
    public void Translate_EventNotAnObject_JsonException()
    {
        var translator = new CloudflareStreamTranslator("m", 1, includeUsage: false);

        Assert.ThrowsAny<System.Text.Json.JsonException>(() => translator.Translate(new UpstreamEvent("message", "\"x\""u8.ToArray()), new ArrayBufferWriter<byte>()));
    }

    [Theory]
    [MemberData(nameof(Streams))]
    public Task Translate_SplitAtEveryPieceSizeWithLfOrCrLf_SameOutputAsWhole(string stream) =>
        // The stream's and the made tool calls' ids are fresh per run.
        TranslatedStreams.AssertSameAtEveryPieceSizeAsync(
            () => new CloudflareStreamTranslator("@cf/meta/llama-3.1-8b-instruct", 1_700_000_000, includeUsage: true), stream, output => FreshId().Replace(output, "ID"));
}
