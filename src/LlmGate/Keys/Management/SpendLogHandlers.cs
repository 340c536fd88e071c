using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace LlmGate.Keys;

/// <summary><c>GET /spend/logs</c>: spend-log rows, newest first, filtered as LiteLLM filters them.</summary>
internal static class SpendLogHandlers
{
    public static async Task<IResult> LogsAsync(ManagementCall call)
    {
        var query = new SpendLogQuery
        {
            ApiKey = call.Query("api_key") is { } key ? KeyHashes.TokenOf(key) : null,
            UserId = call.Query("user_id"),
            RequestId = call.Query("request_id"),
            StartTime = Date(call, "start_date", endOfDay: false),
            EndTime = Date(call, "end_date", endOfDay: true),
        };
        var rows = await call.Store.QuerySpendLogsAsync(query, call.Aborted);
        return Results.Json<IReadOnlyList<SpendLogView>>(
            rows.Select(SpendLogView.Of).ToArray(), KeyManagementJsonContext.Default.IReadOnlyListSpendLogView);
    }

    /// <summary>
    /// LiteLLM's <c>YYYY-MM-DD</c>, or a full ISO 8601 time (UTC unless it says otherwise). A bare <c>end_date</c> takes
    /// in the whole of that day, which is what "logs up to 2026-05-01" means to a reader.
    /// </summary>
    private static DateTimeOffset? Date(ManagementCall call, string name, bool endOfDay)
    {
        if (call.Query(name) is not { } text)
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            var start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return endOfDay ? start.AddDays(1).AddTicks(-1) : start;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : throw ManagementException.BadRequest($"{name} must be a date (YYYY-MM-DD) or an ISO 8601 time. Received: {text}", name);
    }
}
