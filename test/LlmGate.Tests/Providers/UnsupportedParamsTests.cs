using System.Text;
using System.Text.Json.Nodes;
using LlmGate.Configuration;
using LlmGate.OpenAi;
using LlmGate.Providers;

namespace LlmGate.Tests.Providers;

public sealed class UnsupportedParamsTests
{
    private static ProviderCall Call(string json, bool drop)
    {
        var body = Encoding.UTF8.GetBytes(json);
        var endpoint = new ProviderEndpoint(new DeploymentConfig { ModelName = "m", Model = "anthropic/claude", Id = "d", ApiKey = "k" },
            ProviderAdapters.CreateDefault(TimeProvider.System), _ => null);
        return new ProviderCall(ProxyEndpointKind.ChatCompletions, "m", "d", endpoint, body, RequestBodyInspector.Inspect(body, "messages"), "claude")
        {
            DropUnsupportedParams = drop,
        };
    }

    private const string WithN = """{"model":"m","n":2,"response_format":{"type":"json_object"},"messages":[{"role":"user","content":"hi"}]}""";

    [Fact]
    public void Translate_DropAllowed_EachRefusedTopLevelParameterRemovedUntilItTranslates()
    {
        var body = UnsupportedParams.Translate(Call(WithN, drop: true), b => AnthropicRequestTranslator.Translate(b.Span, "claude", stream: false));

        var request = JsonNode.Parse(body)!.AsObject();
        Assert.False(request.ContainsKey("n"));
        Assert.False(request.ContainsKey("response_format"));
        Assert.Equal("hi", request["messages"]![0]!["content"]![0]!["text"]!.GetValue<string>());
    }

    [Fact]
    public void Translate_DropNotAllowed_400NamesTheParameterAndHowToDropIt()
    {
        var error = Assert.Throws<ProviderRequestException>(() =>
            UnsupportedParams.Translate(Call(WithN, drop: false), b => AnthropicRequestTranslator.Translate(b.Span, "claude", stream: false)));

        Assert.Equal("n", error.Param);
        Assert.Contains("set drop_params: true", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Translate_RefusedContentPart_NeverDroppedEvenWithDropParams()
    {
        const string audio = """{"model":"m","messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"AA==","format":"wav"}}]}]}""";

        var error = Assert.Throws<ProviderRequestException>(() =>
            UnsupportedParams.Translate(Call(audio, drop: true), b => AnthropicRequestTranslator.Translate(b.Span, "claude", stream: false)));

        Assert.StartsWith("messages[0]", error.Param, StringComparison.Ordinal);
    }
}
