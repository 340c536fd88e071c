using YamlDotNet.RepresentationModel;

namespace LlmGate.Configuration;

/// <summary>One key of a YAML mapping after <c>&lt;&lt;</c> merge keys are applied.</summary>
internal readonly record struct ConfigEntry(string Key, YamlNode KeyNode, YamlNode Value);
