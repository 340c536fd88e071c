using System.Text.Json.Serialization;

namespace LlmGate.Reload;

[JsonConverter(typeof(JsonStringEnumConverter<ReloadOutcome>))]
internal enum ReloadOutcome
{
    /// <summary>The new file is in use for every request that starts from now on.</summary>
    [JsonStringEnumMemberName("applied")]
    Applied,

    /// <summary>The file is byte for byte the one in use: nothing to do.</summary>
    [JsonStringEnumMemberName("unchanged")]
    Unchanged,

    /// <summary>The file has errors: the gateway serves on with the config it had.</summary>
    [JsonStringEnumMemberName("refused")]
    Refused,
}
