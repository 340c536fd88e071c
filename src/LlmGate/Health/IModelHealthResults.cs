namespace LlmGate.Health;

/// <summary>The latest health check of each deployment checked so far (by <c>/health</c> or the background checks); read by <c>/metrics</c>.</summary>
internal interface IModelHealthResults
{
    IReadOnlyList<ModelHealthResult> Latest { get; }
}
