namespace LlmGate.Browser;

/// <summary>The browser tests share one chromium and run one at a time (two cores: the live-update timing stays honest).</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
