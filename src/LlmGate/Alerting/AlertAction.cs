using System.Text.Json.Serialization;

namespace LlmGate.Alerting;

/// <summary>What a notification asks of on-call: open an alert, or close the one with the same dedup key.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AlertAction>))]
internal enum AlertAction
{
    [JsonStringEnumMemberName("trigger")]
    Trigger,

    [JsonStringEnumMemberName("resolve")]
    Resolve,
}
