using LlmGate.Configuration;
using Prometheus;

namespace LlmGate.Observability.Metrics;

/// <summary>
/// The metric families <c>/metrics</c> serves, with LiteLLM's names, label names and buckets so that its Grafana
/// dashboards and alert rules keep working; counters carry the <c>_total</c> that LiteLLM's client library appends.
/// Plus LlmGate's own: the pager's state, and the series folded away by the cardinality cap.
/// </summary>
internal sealed class LiteLlmMetrics
{
    // The labels naming the caller; a key is only ever its SHA-256 hash, never the key.
    public static readonly string[] CallerLabels = ["hashed_api_key", "api_key_alias", "team", "team_alias", "user"];

    public static readonly string[] DeploymentLabels = ["litellm_model_name", "model_id", "api_base", "api_provider"];

    public LiteLlmMetrics(ObservabilityOptions options)
    {
        Registry = Prometheus.Metrics.NewCustomRegistry();
        var factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        // prometheus-net reads Activity.Current for an exemplar on every add by default; the text format never shows them.
        factory.ExemplarBehavior = ExemplarBehavior.NoExemplars();
        var latency = new HistogramConfiguration { Buckets = [.. options.LatencyBuckets] };
        string[] deploymentCaller = ["requested_model", .. DeploymentLabels, "hashed_api_key", "api_key_alias", "team", "team_alias"];
        string[] fallback = ["requested_model", "fallback_model", .. CallerLabels[..4], "exception_status", "exception_class", "model_id"];
        string[] gaugeDeployment = ["model_group", "api_provider", "api_base", "litellm_model_name", "hashed_api_key", "api_key_alias", "model_id"];
        string[] callerModel = [.. CallerLabels, "model", "requested_model", "model_id"];

        ProxyTotalRequests = factory.CreateCounter("litellm_proxy_total_requests_metric_total",
            "Total requests made to the proxy, by their final status.", [.. CallerLabels, "requested_model", "status_code", "route", "model_id"]);
        ProxyFailedRequests = factory.CreateCounter("litellm_proxy_failed_requests_metric_total",
            "Requests the proxy answered with an error.", [.. CallerLabels, "requested_model", "exception_status", "exception_class", "route", "model_id"]);
        RequestTotalLatency = factory.CreateHistogram("litellm_request_total_latency_metric",
            "Total latency of a request to the proxy, in seconds.", callerModel, latency);
        LlmApiLatency = factory.CreateHistogram("litellm_llm_api_latency_metric",
            "Latency of the call to the LLM API, in seconds.", callerModel, latency);
        TimeToFirstToken = factory.CreateHistogram("litellm_llm_api_time_to_first_token_metric",
            "Time to the first token of a streamed answer from the LLM API, in seconds.", callerModel, latency);
        OverheadLatency = factory.CreateHistogram("litellm_overhead_latency_metric",
            "Time the proxy added before calling the LLM API, in seconds.", ["model_group", "api_provider", "api_base", "litellm_model_name", "hashed_api_key", "api_key_alias", "model_id"], latency);

        DeploymentState = factory.CreateGauge("litellm_deployment_state",
            "The deployment's state: 0 healthy, 1 partial outage (its last call failed), 2 complete outage (cooling down).", DeploymentLabels);
        DeploymentSuccess = factory.CreateCounter("litellm_deployment_success_responses_total",
            "Successful answers from a deployment.", deploymentCaller);
        DeploymentFailure = factory.CreateCounter("litellm_deployment_failure_responses_total",
            "Failed calls to a deployment, retried ones included.", [.. deploymentCaller, "exception_status", "exception_class"]);
        DeploymentTotal = factory.CreateCounter("litellm_deployment_total_requests_total",
            "Calls to a deployment, successful or not.", deploymentCaller);
        DeploymentCooledDown = factory.CreateCounter("litellm_deployment_cooled_down_total",
            "Times the router put a deployment into cooldown.", [.. DeploymentLabels, "exception_status"]);
        SuccessfulFallbacks = factory.CreateCounter("litellm_deployment_successful_fallbacks_total",
            "Fallbacks to another model group that answered.", fallback);
        FailedFallbacks = factory.CreateCounter("litellm_deployment_failed_fallbacks_total",
            "Fallbacks to another model group that failed too.", fallback);
        RemainingRequests = factory.CreateGauge("litellm_remaining_requests_metric",
            "The provider's x-ratelimit-remaining-requests on its last answer.", gaugeDeployment);
        RemainingTokens = factory.CreateGauge("litellm_remaining_tokens_metric",
            "The provider's x-ratelimit-remaining-tokens on its last answer.", gaugeDeployment);

        InputTokens = factory.CreateCounter("litellm_input_tokens_metric_total", "Prompt tokens used.", callerModel);
        OutputTokens = factory.CreateCounter("litellm_output_tokens_metric_total", "Completion tokens used.", callerModel);
        TotalTokens = factory.CreateCounter("litellm_total_tokens_metric_total", "Prompt and completion tokens used.", callerModel);
        Spend = factory.CreateCounter("litellm_spend_metric_total",
            "Spend in USD, priced from usage.", [.. CallerLabels, "model", "model_id", "api_provider"]);

        RemainingKeyBudget = factory.CreateGauge("litellm_remaining_api_key_budget_metric",
            "A virtual key's max_budget less its spend, USD.", ["hashed_api_key", "api_key_alias"]);
        KeyMaxBudget = factory.CreateGauge("litellm_api_key_max_budget_metric", "A virtual key's max_budget, USD.", ["hashed_api_key", "api_key_alias"]);
        RemainingTeamBudget = factory.CreateGauge("litellm_remaining_team_budget_metric",
            "A team's max_budget less its spend, USD.", ["team", "team_alias"]);
        TeamMaxBudget = factory.CreateGauge("litellm_team_max_budget_metric", "A team's max_budget, USD.", ["team", "team_alias"]);
        RemainingUserBudget = factory.CreateGauge("litellm_remaining_user_budget_metric", "A user's max_budget less their spend, USD.", ["user"]);
        UserMaxBudget = factory.CreateGauge("litellm_user_max_budget_metric", "A user's max_budget, USD.", ["user"]);
        KeyBudgetRemainingHours = factory.CreateGauge("litellm_api_key_budget_remaining_hours_metric",
            "Hours until a virtual key's budget resets (budget_duration).", ["hashed_api_key", "api_key_alias"]);
        TeamBudgetRemainingHours = factory.CreateGauge("litellm_team_budget_remaining_hours_metric",
            "Hours until a team's budget resets (budget_duration).", ["team", "team_alias"]);
        UserBudgetRemainingHours = factory.CreateGauge("litellm_user_budget_remaining_hours_metric",
            "Hours until a user's budget resets (budget_duration).", ["user"]);
        LatencyPerOutputToken = factory.CreateHistogram("litellm_deployment_latency_per_output_token",
            "Seconds per output token of a deployment's answer (time to first token per token for streams, as LiteLLM).",
            [.. DeploymentLabels, "hashed_api_key", "api_key_alias", "team", "team_alias"]);

        DeploymentHealthy = factory.CreateGauge("llmgate_deployment_health_check_healthy",
            "1 when the deployment's last health check answered, 0 when it failed.", ["model_group", .. DeploymentLabels]);
        AlertWindowCalls = factory.CreateGauge("llmgate_alert_window_calls",
            "Calls counted in an alert window now (failures or hangs).", ["alert_class", "scope"]);
        AlertWindowThreshold = factory.CreateGauge("llmgate_alert_window_threshold",
            "The count at which the window's alert fires.", ["alert_class", "scope"]);
        AlertOpenIncidents = factory.CreateGauge("llmgate_alert_open_incidents", "Incidents triggered and not yet resolved.", ["alert_class"]);
        AlertOutboxDepth = factory.CreateGauge("llmgate_alert_outbox_depth", "Alert payloads waiting to be delivered.", ["channel"]);
        AlertOutboxOldestAge = factory.CreateGauge("llmgate_alert_outbox_oldest_age_seconds",
            "How long the oldest waiting payload has waited.", ["channel"]);
        AlertDeliveryAttempts = factory.CreateCounter("llmgate_alert_delivery_attempts_total",
            "Delivery attempts, by channel and the status the channel answered (\"error\" when none).", ["channel", "status", "delivered"]);
        AlertLastDelivery = factory.CreateGauge("llmgate_alert_last_successful_delivery_timestamp_seconds",
            "When the channel last accepted a payload, Unix time.", ["channel"]);
        AlertConsecutiveFailures = factory.CreateGauge("llmgate_alert_delivery_consecutive_failures",
            "Failed attempts since the channel's last delivered one.", ["channel"]);
        InFlightRequests = factory.CreateGauge("litellm_in_flight_requests", "Calls in flight on this replica.");
        DroppedSeries = factory.CreateCounter("llmgate_metrics_dropped_series_total",
            "Calls recorded under the \"other\" series because their label set was past prometheus_metrics_max_series_per_metric.", ["metric"]);
    }

    public CollectorRegistry Registry { get; }

    public Counter ProxyTotalRequests { get; }
    public Counter ProxyFailedRequests { get; }
    public Histogram RequestTotalLatency { get; }
    public Histogram LlmApiLatency { get; }
    public Histogram TimeToFirstToken { get; }
    public Histogram OverheadLatency { get; }
    public Gauge DeploymentState { get; }
    public Counter DeploymentSuccess { get; }
    public Counter DeploymentFailure { get; }
    public Counter DeploymentTotal { get; }
    public Counter DeploymentCooledDown { get; }
    public Counter SuccessfulFallbacks { get; }
    public Counter FailedFallbacks { get; }
    public Gauge RemainingRequests { get; }
    public Gauge RemainingTokens { get; }
    public Counter InputTokens { get; }
    public Counter OutputTokens { get; }
    public Counter TotalTokens { get; }
    public Counter Spend { get; }
    public Gauge RemainingKeyBudget { get; }
    public Gauge KeyMaxBudget { get; }
    public Gauge RemainingTeamBudget { get; }
    public Gauge TeamMaxBudget { get; }
    public Gauge RemainingUserBudget { get; }
    public Gauge UserMaxBudget { get; }
    public Gauge KeyBudgetRemainingHours { get; }
    public Gauge TeamBudgetRemainingHours { get; }
    public Gauge UserBudgetRemainingHours { get; }
    public Histogram LatencyPerOutputToken { get; }
    public Gauge DeploymentHealthy { get; }
    public Gauge AlertWindowCalls { get; }
    public Gauge AlertWindowThreshold { get; }
    public Gauge AlertOpenIncidents { get; }
    public Gauge AlertOutboxDepth { get; }
    public Gauge AlertOutboxOldestAge { get; }
    public Counter AlertDeliveryAttempts { get; }
    public Gauge AlertLastDelivery { get; }
    public Gauge AlertConsecutiveFailures { get; }
    public Gauge InFlightRequests { get; }
    public Counter DroppedSeries { get; }
}
