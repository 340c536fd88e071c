using System.Text.Json.Serialization;

namespace LlmGate.Alerting.Silences;

/// <summary>What a POST answers, as Alertmanager: <c>{"silenceID":"…"}</c>.</summary>
internal sealed record SilenceIdDocument([property: JsonPropertyName("silenceID")] string SilenceId);
