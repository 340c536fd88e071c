using System.Globalization;
using LlmGate.Bench.Targets;

namespace LlmGate.Bench.Soak;

/// <summary>
/// The soak's config.yaml: four model groups of one deployment each on the fake upstream (a lone deployment is never
/// cooled down, so every fault reaches its client as the load intends), and PagerDuty alerting with thresholds the
/// provoked faults cross, so incidents open and deliveries run for the whole soak.
/// </summary>
internal static class SoakConfigFile
{
    /// <summary>Chat, streams and the disconnecting clients: the model the harness's chat requests name.</summary>
    public const string ChatModel = "bench-model";

    public const string EmbeddingModel = "soak-embedding";

    /// <summary>Its upstream fails half its answers with 500 or 503; one retry, so a quarter of the calls fail.</summary>
    public const string FlakyModel = "soak-flaky";

    /// <summary>Its upstream answers after 5 s; its <c>timeout</c> is 1 s and it is not retried.</summary>
    public const string SlowModel = "soak-slow";

    public static string Yaml(int upstreamPort) => string.Create(CultureInfo.InvariantCulture, $"""
        model_list:
          - model_name: {ChatModel}
            litellm_params:
              model: openai/bench-model
              api_base: http://127.0.0.1:{upstreamPort}/v1
              api_key: sk-bench-upstream-key
            model_info:
              id: soak-chat
          - model_name: {EmbeddingModel}
            litellm_params:
              model: openai/bench-embedding
              api_base: http://127.0.0.1:{upstreamPort}/v1
              api_key: sk-bench-upstream-key
            model_info:
              id: soak-embedding
          - model_name: {FlakyModel}
            litellm_params:
              model: openai/bench-model
              api_base: http://127.0.0.1:{upstreamPort}/flaky/v1
              api_key: sk-bench-upstream-key
              num_retries: 1
            model_info:
              id: soak-flaky
          - model_name: {SlowModel}
            litellm_params:
              model: openai/bench-model
              api_base: http://127.0.0.1:{upstreamPort}/slow/v1
              api_key: sk-bench-upstream-key
              timeout: 1
              num_retries: 0
            model_info:
              id: soak-slow
        general_settings:
          master_key: {GatewayConfigFile.MasterKey}
          alerting: ["pagerduty"]
          alerting_args:
            failure_threshold: 20
            failure_threshold_window_seconds: 10
            hanging_threshold_seconds: 0.5
            hanging_threshold_window_seconds: 10

        """);
}
