using LlmGate.Configuration;

namespace LlmGate.Tests.Health;

/// <summary>The <c>model_info</c> health-check keys and the <c>general_settings</c> ones, as the config loader reads them.</summary>
public sealed class HealthConfigTests
{
    [Fact]
    public void LoadText_ModelInfoHealthKeys_ReadAndNotReported()
    {
        var result = ConfigLoader.LoadText("""
            model_list:
              - model_name: embed
                litellm_params: {model: openai/text-embedding-3-small}
                model_info:
                  mode: embedding
                  health_check_timeout: 2.5
                  health_check_max_tokens: 1
                  health_check_model: openai/text-embedding-3-large
                  disable_background_health_check: true
              - model_name: plain
                litellm_params: {model: openai/gpt-4o}
            general_settings:
              background_health_checks: true
              health_check_interval: 30
              health_check_details: false
            """, "test.yaml", _ => null);

        Assert.False(result.HasErrors, string.Join("\n", result.Errors));
        var (embed, plain) = (result.Config!.Deployments[0], result.Config.Deployments[1]);
        Assert.Equal(("embedding", TimeSpan.FromSeconds(2.5), 1, "openai/text-embedding-3-large", true),
            (embed.Mode, embed.HealthCheckTimeout, embed.HealthCheckMaxTokens, embed.HealthCheckModel, embed.DisableBackgroundHealthCheck));
        Assert.Equal(((string?)null, (TimeSpan?)null, (int?)null, (string?)null, false),
            (plain.Mode, plain.HealthCheckTimeout, plain.HealthCheckMaxTokens, plain.HealthCheckModel, plain.DisableBackgroundHealthCheck));
        var observability = result.Config.Observability;
        Assert.Equal((true, TimeSpan.FromSeconds(30), false), (observability.BackgroundHealthChecks, observability.HealthCheckInterval, observability.HealthCheckDetails));
        Assert.DoesNotContain(result.Warnings.Select(w => w.ToString()), text => text.Contains("health_check", StringComparison.Ordinal) || text.Contains("mode", StringComparison.Ordinal));
    }

    [Fact]
    public void LoadText_ModeLlmGateDoesNotServe_WarnsThatHealthSkipsIt()
    {
        var result = ConfigLoader.LoadText("""
            model_list:
              - model_name: whisper
                litellm_params: {model: openai/whisper-1}
                model_info: {mode: audio_transcription}
            """, "test.yaml", _ => null);

        var warning = Assert.Single(result.Warnings, w => w.ToString().Contains("model_info.mode", StringComparison.Ordinal));
        Assert.Contains("/health does not check this deployment", warning.ToString(), StringComparison.Ordinal);
        Assert.Equal("audio_transcription", result.Config!.Deployments[0].Mode);
    }

    [Theory]
    [InlineData("health_check_timeout: 0")]
    [InlineData("health_check_max_tokens: 0")]
    [InlineData("disable_background_health_check: maybe")]
    public void LoadText_BadHealthCheckValue_Error(string entry)
    {
        var result = ConfigLoader.LoadText($$"""
            model_list:
              - model_name: a
                litellm_params: {model: openai/a}
                model_info: { {{entry}} }
            """, "test.yaml", _ => null);

        Assert.True(result.HasErrors);
        Assert.Contains(result.Errors, e => e.ToString().Contains("model_info." + entry.Split(':')[0], StringComparison.Ordinal));
    }
}
