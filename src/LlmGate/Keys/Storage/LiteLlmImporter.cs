using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Npgsql;

namespace LlmGate.Keys;

/// <summary>
/// Copies LiteLLM's keys, teams and users (<c>"LiteLLM_VerificationToken"</c>, <c>"LiteLLM_TeamTable"</c>,
/// <c>"LiteLLM_UserTable"</c>) from its PostgreSQL database into a key store, as they are: the token hashes, spend,
/// budgets, limits, models and metadata. Rows are read as JSON (<c>row_to_json</c>), so a LiteLLM version with more or
/// fewer columns imports the same; the store's own rows win: an id it already has is skipped, so an import can be run
/// again. Only reads LiteLLM's database.
/// </summary>
internal sealed class LiteLlmImporter(IKeyStore target)
{
    public async Task<LiteLlmImportResult> ImportAsync(string databaseUrl, CancellationToken cancellationToken)
    {
        var connectionString = PostgresConnectionString.FromUrl(databaseUrl);
        var where = PostgresConnectionString.Describe(connectionString);
        try
        {
            await using var source = NpgsqlDataSource.Create(connectionString);
            // Teams and users first: a key that names them finds them in place when the gateway starts reading.
            var (teams, teamsSkipped) = await CopyAsync(source, "LiteLLM_TeamTable", ReadTeam, target.CreateTeamAsync, cancellationToken);
            var (users, usersSkipped) = await CopyAsync(source, "LiteLLM_UserTable", ReadUser, target.CreateUserAsync, cancellationToken);
            var (keys, keysSkipped) = await CopyAsync(source, "LiteLLM_VerificationToken", ReadKey, target.CreateKeyAsync, cancellationToken);
            return new LiteLlmImportResult(keys, keysSkipped, teams, teamsSkipped, users, usersSkipped);
        }
        catch (Exception exception) when (exception is DbException or TimeoutException or IOException)
        {
            throw new KeyStoreException($"Could not read LiteLLM's tables at {where}: {exception.Message}", exception);
        }
    }

    private static async Task<(int Imported, int Skipped)> CopyAsync<T>(
        NpgsqlDataSource source, string table, Func<JsonElement, T> read, Func<T, CancellationToken, Task> create, CancellationToken cancellationToken)
    {
        var rows = new List<string>();
        await using (var command = source.CreateCommand($"SELECT row_to_json(t)::text FROM \"{table}\" t"))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(reader.GetString(0));
            }
        }

        int imported = 0, skipped = 0;
        foreach (var row in rows)
        {
            using var document = JsonDocument.Parse(row);
            try
            {
                await create(read(document.RootElement), cancellationToken);
                imported++;
            }
            catch (KeyStoreConflictException)
            {
                skipped++;
            }
        }

        return (imported, skipped);
    }

    private static VirtualKey ReadKey(JsonElement row) => new()
    {
        Token = String(row, "token") ?? throw new KeyStoreException("a LiteLLM_VerificationToken row has no token"),
        KeyName = String(row, "key_name") ?? "sk-...",
        KeyAlias = String(row, "key_alias"),
        Models = Models(row),
        Spend = Double(row, "spend") ?? 0,
        Limits = Limits(row),
        Expires = Time(row, "expires"),
        Metadata = Json(row, "metadata", "{}"),
        TeamId = String(row, "team_id"),
        UserId = String(row, "user_id"),
        Blocked = row.TryGetProperty("blocked", out var blocked) && blocked.ValueKind == JsonValueKind.True,
        CreatedAt = Time(row, "created_at") ?? default,
        UpdatedAt = Time(row, "updated_at") ?? default,
        CreatedBy = String(row, "created_by"),
    };

    private static KeyTeam ReadTeam(JsonElement row) => new()
    {
        TeamId = String(row, "team_id") ?? throw new KeyStoreException("a LiteLLM_TeamTable row has no team_id"),
        TeamAlias = String(row, "team_alias"),
        Models = Models(row),
        Spend = Double(row, "spend") ?? 0,
        Limits = Limits(row),
        Metadata = Json(row, "metadata", "{}"),
        MembersWithRoles = Json(row, "members_with_roles", "[]"),
        Blocked = row.TryGetProperty("blocked", out var blocked) && blocked.ValueKind == JsonValueKind.True,
        CreatedAt = Time(row, "created_at") ?? default,
        UpdatedAt = Time(row, "updated_at") ?? default,
    };

    private static KeyUser ReadUser(JsonElement row) => new()
    {
        UserId = String(row, "user_id") ?? throw new KeyStoreException("a LiteLLM_UserTable row has no user_id"),
        UserAlias = String(row, "user_alias"),
        UserEmail = String(row, "user_email"),
        UserRole = String(row, "user_role") ?? "internal_user",
        Models = Models(row),
        Spend = Double(row, "spend") ?? 0,
        Limits = Limits(row),
        Metadata = Json(row, "metadata", "{}"),
        CreatedAt = Time(row, "created_at") ?? default,
        UpdatedAt = Time(row, "updated_at") ?? default,
    };

    private static EntityLimits Limits(JsonElement row) => new()
    {
        MaxBudget = Double(row, "max_budget"),
        SoftBudget = Double(row, "soft_budget"),
        BudgetDuration = String(row, "budget_duration"),
        BudgetResetAt = Time(row, "budget_reset_at"),
        RpmLimit = Long(row, "rpm_limit"),
        TpmLimit = Long(row, "tpm_limit"),
        MaxParallelRequests = Long(row, "max_parallel_requests"),
    };

    private static JsonElement? Value(JsonElement row, string name) =>
        row.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static string? String(JsonElement row, string name) => Value(row, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    private static double? Double(JsonElement row, string name) => Value(row, name) is { ValueKind: JsonValueKind.Number } value ? value.GetDouble() : null;

    private static long? Long(JsonElement row, string name) => Value(row, name) is { ValueKind: JsonValueKind.Number } value ? value.GetInt64() : null;

    /// <summary>Prisma's <c>timestamp(3)</c> columns hold UTC without a zone; a <c>timestamptz</c> carries its own.</summary>
    private static DateTimeOffset? Time(JsonElement row, string name) =>
        String(row, name) is { } text
            ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal)
            : null;

    /// <summary>A JSON column's text as LiteLLM stored it; a JSON string holding JSON (older LiteLLMs) is unwrapped.</summary>
    private static string Json(JsonElement row, string name, string fallback) => Value(row, name) switch
    {
        { ValueKind: JsonValueKind.String } text => text.GetString() is { Length: > 0 } inner ? inner : fallback,
        { } value => value.GetRawText(),
        null => fallback,
    };

    private static IReadOnlyList<string> Models(JsonElement row) =>
        Value(row, "models") is { ValueKind: JsonValueKind.Array } models
            ? [.. models.EnumerateArray().Where(m => m.ValueKind == JsonValueKind.String).Select(m => m.GetString()!)]
            : [];
}
