using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace LlmGate.Configuration;

/// <summary>Remembers positions YamlDotNet does not report: where parsing stopped, and the first alias to an unknown anchor.</summary>
internal sealed class LineTrackingParser(IParser inner) : IParser
{
    private readonly HashSet<string> _anchors = new(StringComparer.Ordinal);

    public int LastLine { get; private set; }

    /// <summary>YamlDotNet resolves aliases after the document and reports an unknown one at line 1.</summary>
    public int UnknownAliasLine { get; private set; }

    public ParsingEvent? Current => inner.Current;

    public bool MoveNext()
    {
        var moved = inner.MoveNext();
        switch (inner.Current)
        {
            case AnchorAlias alias when UnknownAliasLine == 0 && !_anchors.Contains(alias.Value.Value):
                UnknownAliasLine = (int)alias.Start.Line;
                break;
            case NodeEvent { Anchor.IsEmpty: false } node:
                _anchors.Add(node.Anchor.Value);
                break;
        }

        if (inner.Current is { } current)
        {
            LastLine = (int)current.End.Line;
        }

        return moved;
    }
}
