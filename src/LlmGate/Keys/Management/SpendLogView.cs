using System.Text.Json.Serialization;

namespace LlmGate.Keys;

/// <summary>One row of <c>GET /spend/logs</c>, in LiteLLM's <c>LiteLLM_SpendLogs</c> field names (two of them camelCase).</summary>
internal sealed record SpendLogView
{
    public required string RequestId { get; init; }

    public required string CallType { get; init; }

    public required string ApiKey { get; init; }

    public double Spend { get; init; }

    public long TotalTokens { get; init; }

    public long PromptTokens { get; init; }

    public long CompletionTokens { get; init; }

    [JsonPropertyName("startTime")]
    public DateTimeOffset StartTime { get; init; }

    [JsonPropertyName("endTime")]
    public DateTimeOffset EndTime { get; init; }

    public string? Model { get; init; }

    public string? ModelId { get; init; }

    public string? ModelGroup { get; init; }

    public string? CustomLlmProvider { get; init; }

    public string? User { get; init; }

    public string? TeamId { get; init; }

    public required string Status { get; init; }

    public required SpendLogMetadata Metadata { get; init; }

    public static SpendLogView Of(SpendLogRow row) => new()
    {
        RequestId = row.RequestId,
        CallType = row.CallType,
        ApiKey = row.ApiKey,
        Spend = row.Spend,
        TotalTokens = row.TotalTokens,
        PromptTokens = row.PromptTokens,
        CompletionTokens = row.CompletionTokens,
        StartTime = row.StartTime,
        EndTime = row.EndTime,
        Model = row.Model,
        ModelId = row.ModelId,
        ModelGroup = row.ModelGroup,
        CustomLlmProvider = row.Provider,
        User = row.UserId,
        TeamId = row.TeamId,
        Status = row.Status,
        Metadata = new SpendLogMetadata(row.KeyAlias, row.TeamId, row.UserId),
    };
}
