using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace LlmGate.Configuration;

/// <summary>
/// A YAML value as the JSON LiteLLM would send for it (PyYAML's types): plain scalars that read as numbers, booleans
/// or null become those, quoted ones stay strings; <c>os.environ/NAME</c> is resolved (to a string) anywhere.
/// </summary>
internal static class YamlJson
{
    /// <summary>Null when the value cannot be read (an unset variable, reported by <paramref name="reader"/>).</summary>
    public static JsonNode? Convert(ConfigReader reader, YamlNode node, string path, out bool ok)
    {
        ok = true;
        switch (node)
        {
            case YamlSequenceNode sequence:
            {
                var array = new JsonArray();
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    array.Add(Convert(reader, sequence.Children[i], ConfigReader.Item(path, i), out var itemOk));
                    ok &= itemOk;
                }

                return array;
            }

            case YamlMappingNode mapping:
            {
                var obj = new JsonObject();
                foreach (var (key, _, value) in reader.Entries(mapping, path))
                {
                    obj[key] = Convert(reader, value, ConfigReader.Child(path, key), out var valueOk);
                    ok &= valueOk;
                }

                return obj;
            }

            case YamlScalarNode scalar when scalar.Style is ScalarStyle.Plain or ScalarStyle.Any:
                if (ConfigReader.IsNull(scalar))
                {
                    return null;
                }

                var text = scalar.Value ?? "";
                if (text.StartsWith("os.environ/", StringComparison.Ordinal))
                {
                    ok = reader.TryResolve(scalar, path, out var resolved, out var missing);
                    if (missing is not null)
                    {
                        reader.ReportMissing(missing, path, scalar, ConfigSeverity.Warning, "the default is not sent");
                    }

                    return ok ? JsonValue.Create(resolved) : null;
                }

                return text switch
                {
                    "true" or "True" or "TRUE" => JsonValue.Create(true),
                    "false" or "False" or "FALSE" => JsonValue.Create(false),
                    _ when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer) => JsonValue.Create(integer),
                    _ when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number) => JsonValue.Create(number),
                    _ => JsonValue.Create(text),
                };

            case YamlScalarNode quoted:
                return JsonValue.Create(quoted.Value ?? "");

            default:
                ok = false;
                return null;
        }
    }

    public static byte[] Property(string name, JsonNode? value)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WritePropertyName(name);
            if (value is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                value.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        // {"name":value} → "name":value
        return buffer.ToArray()[1..^1];
    }
}
