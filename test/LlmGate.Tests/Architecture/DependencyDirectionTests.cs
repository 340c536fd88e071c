using LlmGate.Hosting;
using NetArchTest.Rules;

namespace LlmGate.Tests.Architecture;

/// <summary>
/// Dependencies run one way, from the edge inward (docs/architecture.md): each feature folder may use only the folders
/// listed for it here. A new arrow is a decision: add it here, in the open, or find the seam that avoids it.
/// </summary>
public sealed class DependencyDirectionTests
{
    // Folder → the folders it may depend on. Hosting and Cli compose everything and are left out.
    public static readonly TheoryData<string, string[]> Allowed = new()
    {
        { "OpenAi", [] },
        { "Configuration", [] },
        { "Calls", [] },
        { "Health", ["Calls", "Configuration", "OpenAi", "Providers", "Proxy", "Routing", "Secrets"] },
        { "Secrets", [] },
        { "Redis", ["Configuration"] },
        { "Providers", ["Calls", "OpenAi", "Configuration"] },
        { "Routing", ["Configuration", "Providers", "Redis"] },
        { "Auth", ["Calls", "Configuration", "OpenAi", "Routing"] },
        { "Proxy", ["Calls", "Configuration", "OpenAi", "Providers", "Routing", "Secrets"] },
        { "Alerting", ["Calls", "Configuration", "OpenAi", "Redis", "Routing", "Secrets"] },
        { "Pricing", ["Calls", "Configuration"] },
        { "Keys", ["Alerting", "Auth", "Calls", "Configuration", "OpenAi", "Pricing", "Proxy", "Redis", "Routing", "Secrets"] },
        { "Reload", ["Calls", "Configuration", "OpenAi", "Providers", "Routing"] },
        { "Messages", ["Calls", "OpenAi", "Providers", "Proxy", "Routing"] },
        { "Observability", ["Alerting", "Auth", "Calls", "Configuration", "Health", "Keys", "OpenAi", "Pricing", "Providers", "Proxy", "Redis", "Routing", "Secrets"] },

        // The console reads what the others keep; nothing depends on it but Hosting.
        { "Ui", ["Alerting", "Auth", "Calls", "Configuration", "Health", "Keys", "OpenAi", "Pricing", "Providers", "Proxy", "Redis", "Routing", "Secrets"] },
    };

    private static readonly string[] Folders =
        ["OpenAi", "Configuration", "Calls", "Health", "Secrets", "Redis", "Providers", "Routing", "Auth", "Proxy", "Alerting", "Pricing", "Keys", "Reload", "Messages", "Observability", "Ui", "Hosting", "Cli"];

    [Theory]
    [MemberData(nameof(Allowed))]
    public void Folder_DependsOnlyOnTheFoldersAllowedForIt(string folder, string[] allowed)
    {
        var forbidden = Folders.Where(f => f != folder && !allowed.Contains(f)).Select(f => "LlmGate." + f).ToArray();

        var result = Types.InAssembly(typeof(GatewayApplication).Assembly)
            .That().ResideInNamespace("LlmGate." + folder)
            .ShouldNot().HaveDependencyOnAny(forbidden)
            .GetResult();

        Assert.True(result.IsSuccessful,
            $"LlmGate.{folder} may depend only on [{string.Join(", ", allowed)}]; these types reach further: "
            + string.Join(", ", result.FailingTypeNames ?? []));
    }

    [Fact]
    public void Folders_CoverEveryNamespaceOfTheGateway()
    {
        var namespaces = typeof(GatewayApplication).Assembly.GetTypes()
            .Select(t => t.Namespace)
            .OfType<string>()
            .Where(n => n.StartsWith("LlmGate.", StringComparison.Ordinal))
            .Select(n => n.Split('.')[1])
            .Distinct()
            .ToHashSet();

        Assert.Subset(Folders.ToHashSet(), namespaces);
    }

    [Fact]
    public void Allowed_IsAcyclic()
    {
        var graph = Allowed.ToDictionary(row => (string)row[0], row => (string[])row[1]);
        var done = new HashSet<string>();
        foreach (var folder in graph.Keys)
        {
            Visit(folder, []);
        }

        void Visit(string folder, List<string> path)
        {
            Assert.False(path.Contains(folder), "cycle: " + string.Join(" → ", path.Append(folder)));
            if (!done.Add(folder) || !graph.TryGetValue(folder, out var next))
            {
                return;
            }

            foreach (var dependency in next)
            {
                Visit(dependency, [.. path, folder]);
            }
        }
    }
}
