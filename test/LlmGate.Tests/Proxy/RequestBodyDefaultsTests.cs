using System.Text;
using System.Text.Json.Nodes;
using LlmGate.Configuration;
using LlmGate.OpenAi;
using LlmGate.Proxy;

namespace LlmGate.Tests.Proxy;

public sealed class RequestBodyDefaultsTests
{
    private static DeploymentConfig Deployment(string[]? drops = null, params (string Name, string Json)[] defaults) => new()
    {
        ModelName = "m",
        Model = "openai/m",
        Id = "d",
        RequestDefaults = [.. defaults.Select(d => new RequestDefault(d.Name, Encoding.UTF8.GetBytes($"\"{d.Name}\":{d.Json}")))],
        AdditionalDropParams = drops ?? [],
    };

    private static (JsonObject Body, RequestSummary Summary, bool Same) Apply(string json, DeploymentConfig deployment)
    {
        var body = Encoding.UTF8.GetBytes(json);
        var summary = RequestBodyInspector.Inspect(body, "messages");
        var (adjusted, adjustedSummary) = RequestBodyDefaults.Apply(body, summary, deployment);
        return ((JsonObject)JsonNode.Parse(adjusted.Span)!, adjustedSummary, ReferenceEquals(summary, adjustedSummary) && adjusted.Span == body.AsSpan());
    }

    [Fact]
    public void Apply_NoDefaultsNoDrops_SameBodyAndSummary()
    {
        var (_, _, same) = Apply("""{"model":"m","messages":[]}""", Deployment());

        Assert.True(same);
    }

    [Fact]
    public void Apply_DefaultAbsentFromRequest_Added()
    {
        var (body, summary, _) = Apply("""{"model":"m","messages":[{"role":"user","content":"hi"}],"stream":true}""",
            Deployment(null, ("temperature", "0.2"), ("top_k", "5")));

        Assert.Equal(0.2, body["temperature"]!.GetValue<double>());
        Assert.Equal(5, body["top_k"]!.GetValue<int>());
        Assert.Equal("hi", body["messages"]![0]!["content"]!.GetValue<string>());
        Assert.True(summary.Stream);
        Assert.Equal("m", summary.Model);
        Assert.Equal(0, summary.ModelIndex);
    }

    [Fact]
    public void Apply_RequestSetsTheParameter_RequestWins()
    {
        var (body, _, same) = Apply("""{"model":"m","temperature":0.9,"messages":[]}""", Deployment(null, ("temperature", "0.2")));

        Assert.Equal(0.9, body["temperature"]!.GetValue<double>());
        Assert.True(same);
    }

    [Fact]
    public void Apply_AdditionalDropParams_RemovedFromRequestAndNeverAddedAsDefault()
    {
        var (body, _, _) = Apply("""{"model":"m","logit_bias":{"1":2},"messages":[],"user":"u"}""",
            Deployment(["logit_bias", "user"], ("user", "\"from-config\""), ("seed", "1")));

        Assert.False(body.ContainsKey("logit_bias"));
        Assert.False(body.ContainsKey("user"));
        Assert.Equal(1, body["seed"]!.GetValue<int>());
    }

    [Fact]
    public void Apply_EscapedPropertyName_RecognisedAsTheSameParameter()
    {
        var (body, _, same) = Apply("""{"model":"m","temp\u0065rature":0.9,"messages":[]}""", Deployment(null, ("temperature", "0.2")));

        Assert.Equal(0.9, body["temperature"]!.GetValue<double>());
        Assert.True(same);
    }

    [Fact]
    public void Apply_ExtraBody_MergedIntoTheTopLevelItsEntriesWinning()
    {
        var (body, summary, _) = Apply(
            """{"model":"m","messages":[],"top_k":1,"extra_body":{"top_k":3,"guardrailConfig":{"guardrailIdentifier":"g1"},"reasoning_format":"hidden"}}""",
            Deployment(null, ("reasoning_format", "\"raw\""), ("temperature", "0.2")));

        Assert.Equal(
            """{"model":"m","messages":[],"top_k":3,"guardrailConfig":{"guardrailIdentifier":"g1"},"reasoning_format":"hidden","temperature":0.2}""",
            body.ToJsonString());
        Assert.Equal(-1, summary.ExtraBodyIndex);
    }

    [Fact]
    public void Apply_ExtraBodyNamingADroppedOrGatewayOnlyField_DroppedOrKeptFromTheUpstream()
    {
        var (body, summary, _) = Apply(
            """{"model":"m","messages":[],"extra_body":{"seed":1,"api_base":"http://169.254.169.254/"}}""", Deployment(drops: ["seed"]));

        Assert.Null(body["seed"]);
        Assert.True(summary.HasGatewayOnlyFields); // so the body sent upstream leaves it out, as a top-level api_base
        Assert.Null(body["extra_body"]);
    }

    [Fact]
    public void Apply_EmptyExtraBody_Removed()
    {
        var (body, _, same) = Apply("""{"model":"m","messages":[],"extra_body":{}}""", Deployment());

        Assert.False(same);
        Assert.Equal("""{"model":"m","messages":[]}""", body.ToJsonString());
    }
}
