using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace LlmGate.Reload;

/// <summary>
/// Value equality for config records, through their JSON form: the records hold lists and dictionaries, whose
/// equality is by reference. Properties only (a tuple's fields would all read <c>{}</c>). In memory only, never written anywhere (some settings are secrets).
/// </summary>
internal static class ConfigFingerprint
{
    private static readonly JsonSerializerOptions Options = new() { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };

    public static bool Same<T>(T a, T b) => JsonSerializer.Serialize(a, Options) == JsonSerializer.Serialize(b, Options);
}
