using System.Text;
using LlmGate.Calls;
using LlmGate.Configuration;
using LlmGate.OpenAi;
using LlmGate.Pricing;
using LlmGate.Providers;

namespace LlmGate.Tests.Providers;

/// <summary>What the media endpoints are priced by: images and pixels, characters, search units, seconds of audio.</summary>
public sealed class MediaUsageTests
{
    [Fact]
    public void OfAnswer_Images_CountsDataItemsAtTheRequestsSize_KeepsTokens()
    {
        var call = Call(ProxyEndpointKind.ImageGenerations, """{"model":"m","prompt":"p","n":3,"size":"1792x1024"}""");

        var usage = MediaUsage.OfAnswer(call, """{"created":1,"data":[{"b64_json":"AAAA"},{"url":"u"},{"url":"v"}],"usage":{"input_tokens":5}}"""u8, new TokenUsage(5, 0));

        Assert.Equal((3L, 3L * 1792 * 1024, 5L), (usage!.Images, usage.Pixels, usage.PromptTokens));
    }

    [Fact]
    public void OfAnswer_ImagesWithoutSize_OpenAisDefaultSize()
    {
        var usage = MediaUsage.OfAnswer(Call(ProxyEndpointKind.ImageGenerations, """{"model":"m","prompt":"p"}"""), """{"data":[{"url":"u"}]}"""u8, null);

        Assert.Equal((1L, 1024L * 1024), (usage!.Images, usage.Pixels));
    }

    [Theory]
    [InlineData("""{"id":"r","results":[],"meta":{"billed_units":{"search_units":3}}}""", 3)]
    [InlineData("""{"id":"r","results":[]}""", 1)]
    public void OfAnswer_Rerank_SearchUnitsElseOne(string answer, long expected)
    {
        var usage = MediaUsage.OfAnswer(Call(ProxyEndpointKind.Rerank, """{"model":"m","query":"q","documents":["d"]}"""), Encoding.UTF8.GetBytes(answer), null);

        Assert.Equal(expected, usage!.SearchUnits);
    }

    [Fact]
    public void OfAnswer_NotJson_Unpriced()
    {
        Assert.Null(MediaUsage.OfAnswer(Call(ProxyEndpointKind.ImageGenerations, """{"model":"m","prompt":"p"}"""), "<html>"u8, null));
    }

    [Theory]
    [InlineData("""{"text":"hi","usage":{"type":"duration","seconds":9}}""", 9.0, 0L, 0L)]
    [InlineData("""{"text":"hi","usage":{"type":"tokens","input_tokens":120,"input_token_details":{"audio_tokens":120},"output_tokens":7,"total_tokens":127}}""", 0.0, 120L, 7L)]
    [InlineData("""{"task":"transcribe","language":"english","duration":12.5,"text":"hi","segments":[]}""", 12.5, 0L, 0L)]
    public void OfAnswer_Transcription_SecondsOrTokensOfItsUsage(string answer, double seconds, long input, long output)
    {
        var usage = MediaUsage.OfAnswer(Call(ProxyEndpointKind.AudioTranscriptions, """{"model":"m"}"""), Encoding.UTF8.GetBytes(answer), null);

        Assert.Equal((seconds, input, output), (usage!.AudioSeconds, usage.PromptTokens, usage.CompletionTokens));
    }

    [Theory]
    [InlineData("Hello there.\n")]
    [InlineData("1\n00:00:00,000 --> 00:00:02,000\nHello\n")]
    [InlineData("""{"text":"no usage"}""")]
    public void OfAnswer_TranscriptionWithoutUsage_Unpriced(string answer)
    {
        Assert.Null(MediaUsage.OfAnswer(Call(ProxyEndpointKind.AudioTranslations, """{"model":"m"}"""), Encoding.UTF8.GetBytes(answer), null));
    }

    [Fact]
    public void OfRequest_Speech_CharactersOfInput()
    {
        Assert.Equal(11, MediaUsage.OfRequest(Call(ProxyEndpointKind.AudioSpeech, """{"model":"m","input":"Hello there","voice":"alloy"}"""))!.Characters);
    }

    [Fact]
    public void Cost_MediaUnits_AtTheirPricesPlusTokens()
    {
        var price = new ModelPrice { InputCostPerToken = 1e-06, CostPerImage = 0.04, CostPerPixel = 1e-08, InputCostPerCharacter = 1.5e-05, InputCostPerQuery = 0.002, CostPerSecond = 1e-04 };
        var usage = new TokenUsage(100, 0) { Images = 2, Pixels = 1000, Characters = 10, SearchUnits = 1, AudioSeconds = 2.5 };

        Assert.Equal((100 * 1e-06) + 0.08 + 1e-05 + 1.5e-04 + 0.002 + 2.5e-04, CostCalculator.Cost(price, usage), 12);
    }

    private static ProviderCall Call(ProxyEndpointKind kind, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var deployment = new DeploymentConfig { ModelName = "m", Model = "openai/m", Id = "d" };
        var endpoint = new ProviderEndpoint(deployment, ProviderAdapters.CreateDefault(TimeProvider.System), _ => null);
        return new ProviderCall(kind, "m", "d", endpoint, bytes, RequestBodyInspector.Inspect(bytes, "model"), "m");
    }
}
