using LlmGate.Testing;

namespace LlmGate.Tests.Health;

/// <summary>What each health test starts and stops: fake upstreams on 127.0.0.1 and one harness over them.</summary>
public abstract class HealthTestsBase : IAsyncLifetime
{
    private readonly List<FakeUpstream> _upstreams = [];
    private HealthHarness? _harness;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _harness?.Dispose();
        foreach (var upstream in _upstreams)
        {
            await upstream.DisposeAsync();
        }
    }

    internal HealthHarness Harness(string yaml) => _harness = new HealthHarness(yaml);

    internal async Task<FakeUpstream> UpstreamAsync()
    {
        var upstream = await FakeUpstream.StartAsync();
        _upstreams.Add(upstream);
        return upstream;
    }
}
