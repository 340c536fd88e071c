using System.Globalization;
using System.Text;

namespace LlmGate.Testing;

/// <summary>A Prometheus text exposition (format 0.0.4) read back for assertions: samples with their labels, and each family's type.</summary>
public sealed class PrometheusText
{
    private PrometheusText(IReadOnlyList<PrometheusSample> samples, IReadOnlyDictionary<string, string> types)
    {
        Samples = samples;
        Types = types;
    }

    public IReadOnlyList<PrometheusSample> Samples { get; }

    /// <summary>Family name → counter, gauge, histogram, summary or untyped, from the <c># TYPE</c> lines.</summary>
    public IReadOnlyDictionary<string, string> Types { get; }

    public static PrometheusText Parse(string text)
    {
        var samples = new List<PrometheusSample>();
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                types[parts[2]] = parts[3];
            }
            else if (line.Length > 0 && line[0] != '#')
            {
                samples.Add(ParseSample(line));
            }
        }

        return new PrometheusText(samples, types);
    }

    /// <summary>The samples named <paramref name="name"/> whose labels include every pair given.</summary>
    public IEnumerable<PrometheusSample> Where(string name, params (string Label, string Value)[] labels) =>
        Samples.Where(s => s.Name == name && labels.All(l => s.Has(l.Label, l.Value)));

    /// <summary>The sum of the matching samples' values (0 when none match).</summary>
    public double Sum(string name, params (string Label, string Value)[] labels) => Where(name, labels).Sum(s => s.Value);

    private static PrometheusSample ParseSample(string line)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var brace = line.IndexOf('{', StringComparison.Ordinal);
        var space = line.LastIndexOf(' ');
        string name;
        if (brace >= 0 && brace < space)
        {
            name = line[..brace];
            var i = brace + 1;
            while (line[i] != '}')
            {
                var equals = line.IndexOf('=', i);
                var label = line[i..equals].Trim(',', ' ');
                var value = new StringBuilder();
                var j = equals + 2; // past ="
                for (; line[j] != '"'; j++)
                {
                    if (line[j] == '\\')
                    {
                        j++;
                        value.Append(line[j] == 'n' ? '\n' : line[j]);
                    }
                    else
                    {
                        value.Append(line[j]);
                    }
                }

                labels[label] = value.ToString();
                i = j + 1;
                if (line[i] == ',')
                {
                    i++;
                }
            }
        }
        else
        {
            name = line[..line.IndexOf(' ', StringComparison.Ordinal)];
        }

        var valueText = line[(space + 1)..];
        var number = valueText switch
        {
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            "NaN" => double.NaN,
            _ => double.Parse(valueText, CultureInfo.InvariantCulture),
        };
        return new PrometheusSample(name, labels, number);
    }
}
