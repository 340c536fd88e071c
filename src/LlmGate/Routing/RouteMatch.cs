namespace LlmGate.Routing;

/// <summary>The model group a requested model resolved to, and what its <c>*</c> matched.</summary>
internal readonly record struct RouteMatch(ModelGroup Group, string? WildcardCapture);
