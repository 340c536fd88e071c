using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace LlmGate.Configuration;

/// <summary>Remembers where parsing got to, because some YamlDotNet failures are thrown without a position.</summary>
internal sealed class LineTrackingParser(IParser inner) : IParser
{
    public int LastLine { get; private set; }

    public ParsingEvent? Current => inner.Current;

    public bool MoveNext()
    {
        var moved = inner.MoveNext();
        if (inner.Current is { } current)
        {
            LastLine = (int)current.End.Line;
        }

        return moved;
    }
}
