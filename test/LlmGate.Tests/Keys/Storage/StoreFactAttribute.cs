using Xunit.Sdk;

namespace LlmGate.Tests.Keys.Storage;

/// <summary>
/// A contract test that runs once per store: skipped, saying why, when the concrete test class's public static
/// <c>SkipReason</c> is not null (PostgreSQL without a server), since an attribute on the shared base cannot tell.
/// </summary>
[XunitTestCaseDiscoverer("LlmGate.Tests.Keys.Storage.StoreFactDiscoverer", "LlmGate.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class StoreFactAttribute : FactAttribute;
