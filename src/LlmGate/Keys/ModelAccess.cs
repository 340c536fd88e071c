namespace LlmGate.Keys;

/// <summary>
/// Which models a key, team or user may call: empty means all; names match exactly, <c>prefix/*</c> wildcards match by
/// prefix, <c>all-proxy-models</c> matches all, and a key's <c>all-team-models</c> defers to its team.
/// </summary>
internal sealed class ModelAccess
{
    public static readonly ModelAccess All = new([]);

    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly List<string> _prefixes = [];

    public ModelAccess(IReadOnlyList<string> models)
    {
        Listed = models;
        foreach (var model in models)
        {
            switch (model)
            {
                case "all-proxy-models" or "*":
                    AllowsAll = true;
                    break;
                case "all-team-models":
                    DefersToTeam = true;
                    break;
                default:
                    if (model.EndsWith('*'))
                    {
                        _prefixes.Add(model[..^1]);
                    }
                    else
                    {
                        _names.Add(model);
                    }

                    break;
            }
        }

        AllowsAll |= models.Count == 0;
    }

    public IReadOnlyList<string> Listed { get; }

    public bool AllowsAll { get; }

    public bool DefersToTeam { get; }

    public bool Allows(string model)
    {
        if (AllowsAll || _names.Contains(model))
        {
            return true;
        }

        foreach (var prefix in _prefixes)
        {
            if (model.StartsWith(prefix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
