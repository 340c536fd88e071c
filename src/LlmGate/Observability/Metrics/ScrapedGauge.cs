using Prometheus;

namespace LlmGate.Observability.Metrics;

/// <summary>
/// A gauge whose series are set from state at each scrape: a series not set again (a deleted key, a deployment gone)
/// is removed rather than left showing its last value.
/// </summary>
internal sealed class ScrapedGauge(Gauge gauge)
{
    private readonly Dictionary<string, string[]> _labels = new(StringComparer.Ordinal);
    private HashSet<string> _previous = new(StringComparer.Ordinal);
    private HashSet<string> _current = new(StringComparer.Ordinal);

    public void Set(string[] labels, double value)
    {
        gauge.WithLabels(labels).Set(value);
        var key = string.Join('\u001f', labels);
        _current.Add(key);
        _labels[key] = labels;
    }

    /// <summary>Ends a scrape: the series set in the one before but not in this one are removed.</summary>
    public void Sweep()
    {
        foreach (var key in _previous)
        {
            if (!_current.Contains(key))
            {
                gauge.RemoveLabelled(_labels[key]);
                _labels.Remove(key);
            }
        }

        (_previous, _current) = (_current, _previous);
        _current.Clear();
    }
}
