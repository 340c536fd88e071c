using System.Text.Json;

namespace LlmGate.Tests.Hosting;

/// <summary>
/// The GC settings the project chose by measurement (src/LlmGate/LlmGate.csproj) reach the runtimeconfig the gateway
/// starts with: a renamed or dropped property would silently bring back the 128 MiB gen0 budget and about 40 MiB of RSS
/// at 256 streams.
/// </summary>
public sealed class GcSettingsTests
{
    [Fact]
    public void RuntimeConfig_GatewayBuild_WorkstationNonConcurrentGcWithGen0BudgetCappedAt10MiB()
    {
        // The referenced gateway's runtimeconfig is copied beside the tests, as it is beside llmgate.dll.
        var path = Path.Combine(AppContext.BaseDirectory, "llmgate.runtimeconfig.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var properties = document.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.False(properties.GetProperty("System.GC.Server").GetBoolean());
        Assert.False(properties.GetProperty("System.GC.Concurrent").GetBoolean());
        Assert.Equal(10 * 1024 * 1024, properties.GetProperty("System.GC.Gen0MaxBudget").GetInt64());
    }
}
