namespace LlmGate.Keys;

/// <summary>What <c>llmgate keys import</c> did: rows created, and rows skipped because the store already had them.</summary>
internal sealed record LiteLlmImportResult(int KeysImported, int KeysSkipped, int TeamsImported, int TeamsSkipped, int UsersImported, int UsersSkipped);
