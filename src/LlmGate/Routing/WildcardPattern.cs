namespace LlmGate.Routing;

/// <summary>A <c>model_name</c> with one or more <c>*</c>; matches the whole requested name, and captures what the first <c>*</c> stood for.</summary>
internal sealed class WildcardPattern
{
    private readonly string[] _parts;

    public WildcardPattern(string pattern)
    {
        _parts = pattern.Split('*');
    }

    public bool TryMatch(string candidate, out string capture)
    {
        capture = "";
        var first = _parts[0];
        var last = _parts[^1];
        if (candidate.Length < first.Length + last.Length
            || !candidate.StartsWith(first, StringComparison.Ordinal)
            || !candidate.EndsWith(last, StringComparison.Ordinal))
        {
            return false;
        }

        var position = first.Length;
        var end = candidate.Length - last.Length;
        var captureStart = position;
        var captureEnd = -1;
        for (var i = 1; i < _parts.Length - 1; i++)
        {
            var found = candidate.IndexOf(_parts[i], position, end - position, StringComparison.Ordinal);
            if (found < 0)
            {
                return false;
            }

            if (captureEnd < 0)
            {
                captureEnd = found;
            }

            position = found + _parts[i].Length;
        }

        capture = candidate[captureStart..(captureEnd < 0 ? end : captureEnd)];
        return true;
    }
}
