using System.Globalization;
using System.Text;

namespace LlmGate.Bench.Targets;

/// <summary>The LiteLLM config.yaml each LlmGate target runs with, every deployment pointing at the fake upstream.</summary>
internal static class GatewayConfigFile
{
    public const string MasterKey = "sk-bench-master-key";

    /// <summary>The virtual key <c>llmgate-keys</c> creates through <c>/key/generate</c> and sends its load with.</summary>
    public const string VirtualKey = "sk-bench-virtual-key-0001";

    /// <summary>
    /// What <c>/key/generate</c> gets for <see cref="VirtualKey"/>: every check on (a budget the run never reaches, limits it
    /// never meets), so the load pays for all of them.
    /// </summary>
    public const string VirtualKeyRequest =
        "{\"key\": \"" + VirtualKey + "\", \"key_alias\": \"bench\", \"max_budget\": 1000000, \"rpm_limit\": 1000000000, "
        + "\"tpm_limit\": 1000000000000, \"max_parallel_requests\": 100000}";

    /// <summary>PagerDuty integration keys are 32 characters.</summary>
    public const string PagerDutyRoutingKey = "benchbenchbenchbenchbenchbench32";

    public static string Yaml(TargetKind kind, IReadOnlyList<int> upstreamPorts)
    {
        var yaml = new StringBuilder();
        yaml.AppendLine("model_list:");
        if (kind == TargetKind.GatewayGemini)
        {
            // LiteLLM's api_base for gemini/ is the URL up to the model; the fake answers Gemini's methods under it.
            yaml.AppendLine(CultureInfo.InvariantCulture, $"""
                  - model_name: bench-model
                    litellm_params:
                      model: gemini/bench-model
                      api_base: http://127.0.0.1:{upstreamPorts[0]}/v1beta/models/bench-model
                      api_key: bench-gemini-key
                    model_info:
                      id: bench-deployment-1
                """);
        }

        for (var i = 0; i < upstreamPorts.Count && kind != TargetKind.GatewayGemini; i++)
        {
            yaml.AppendLine(CultureInfo.InvariantCulture, $"""
                  - model_name: bench-model
                    litellm_params:
                      model: openai/bench-model
                      api_base: http://127.0.0.1:{upstreamPorts[i]}/v1
                      api_key: sk-bench-upstream-key
                    model_info:
                      id: bench-deployment-{i + 1}
                      input_cost_per_token: 0.0000025
                      output_cost_per_token: 0.00001
                """);
        }

        if (kind == TargetKind.GatewayRedis)
        {
            // A redis-server the operator started (bench/README.md): LLMGATE_BENCH_REDIS, else 127.0.0.1:6392.
            var address = Environment.GetEnvironmentVariable("LLMGATE_BENCH_REDIS") ?? "127.0.0.1:6392";
            yaml.AppendLine("router_settings:");
            yaml.AppendLine(CultureInfo.InvariantCulture, $"  redis_url: redis://{address}/0");
        }

        if (kind == TargetKind.GatewayObserved)
        {
            // LLMGATE_BENCH_OBSERVED_CALLBACKS measures one at a time, e.g. "prometheus" or "otel".
            var callbacks = (Environment.GetEnvironmentVariable("LLMGATE_BENCH_OBSERVED_CALLBACKS") ?? "prometheus,otel")
                .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            yaml.AppendLine("litellm_settings:");
            yaml.AppendLine(CultureInfo.InvariantCulture, $"  callbacks: [{string.Join(", ", callbacks.Select(c => "\"" + c + "\""))}]");
        }

        yaml.AppendLine("general_settings:");
        yaml.AppendLine(CultureInfo.InvariantCulture, $"  master_key: {MasterKey}");
        if (kind is TargetKind.GatewayPagerDuty or TargetKind.GatewayRedis)
        {
            // Alerting on, as in LiteLLM's docs, with thresholds a healthy run never reaches: what is measured is
            // the cost of watching every request, not of paging.
            yaml.AppendLine("""
                  alerting: ["pagerduty"]
                  alerting_args:
                    failure_threshold: 1000000
                    failure_threshold_window_seconds: 60
                    hanging_threshold_seconds: 300
                    hanging_threshold_window_seconds: 600
                """);
        }

        return yaml.ToString();
    }
}
