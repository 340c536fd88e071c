using LlmGate.Keys;
using LlmGate.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace LlmGate.Tests.Keys.Storage;

/// <summary>
/// <c>llmgate keys import</c> against LiteLLM's own tables, as its Prisma schema creates them (quoted names,
/// <c>timestamp(3)</c> without a zone, <c>text[]</c> models, <c>jsonb</c> metadata), in a database of the test's own.
/// </summary>
public sealed class LiteLlmImporterTests
{
    private const string LiteLlmSchema = """
        CREATE TABLE "LiteLLM_TeamTable" (
            team_id TEXT PRIMARY KEY, team_alias TEXT, organization_id TEXT, admins TEXT[], members TEXT[],
            members_with_roles JSONB NOT NULL DEFAULT '{}', metadata JSONB NOT NULL DEFAULT '{}', max_budget DOUBLE PRECISION,
            spend DOUBLE PRECISION NOT NULL DEFAULT 0, models TEXT[], max_parallel_requests INTEGER, tpm_limit BIGINT, rpm_limit BIGINT,
            budget_duration TEXT, budget_reset_at TIMESTAMP(3), blocked BOOLEAN NOT NULL DEFAULT false,
            created_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP, updated_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
            model_spend JSONB NOT NULL DEFAULT '{}');
        CREATE TABLE "LiteLLM_UserTable" (
            user_id TEXT PRIMARY KEY, user_alias TEXT, team_id TEXT, sso_user_id TEXT, organization_id TEXT, password TEXT,
            teams TEXT[] DEFAULT ARRAY[]::TEXT[], user_role TEXT, max_budget DOUBLE PRECISION, spend DOUBLE PRECISION NOT NULL DEFAULT 0,
            user_email TEXT, models TEXT[], metadata JSONB DEFAULT '{}', max_parallel_requests INTEGER, tpm_limit BIGINT, rpm_limit BIGINT,
            budget_duration TEXT, budget_reset_at TIMESTAMP(3), created_at TIMESTAMP(3) DEFAULT CURRENT_TIMESTAMP,
            updated_at TIMESTAMP(3) DEFAULT CURRENT_TIMESTAMP);
        CREATE TABLE "LiteLLM_VerificationToken" (
            token TEXT PRIMARY KEY, key_name TEXT, key_alias TEXT, soft_budget_cooldown BOOLEAN NOT NULL DEFAULT false,
            spend DOUBLE PRECISION NOT NULL DEFAULT 0, expires TIMESTAMP(3), models TEXT[], aliases JSONB NOT NULL DEFAULT '{}',
            config JSONB NOT NULL DEFAULT '{}', user_id TEXT, team_id TEXT, permissions JSONB NOT NULL DEFAULT '{}',
            max_parallel_requests INTEGER, metadata JSONB NOT NULL DEFAULT '{}', blocked BOOLEAN, tpm_limit BIGINT, rpm_limit BIGINT,
            max_budget DOUBLE PRECISION, budget_duration TEXT, budget_reset_at TIMESTAMP(3), allowed_cache_controls TEXT[] DEFAULT ARRAY[]::TEXT[],
            model_spend JSONB NOT NULL DEFAULT '{}', model_max_budget JSONB NOT NULL DEFAULT '{}', budget_id TEXT, organization_id TEXT,
            created_at TIMESTAMP(3) DEFAULT CURRENT_TIMESTAMP, created_by TEXT, updated_at TIMESTAMP(3) DEFAULT CURRENT_TIMESTAMP, updated_by TEXT);

        INSERT INTO "LiteLLM_TeamTable" (team_id, team_alias, members_with_roles, metadata, max_budget, spend, models, tpm_limit, rpm_limit,
            budget_duration, budget_reset_at, created_at, updated_at)
        VALUES ('team-1', 'Research', '[{"role": "admin", "user_id": "u1"}]', '{"cost_center": "r&d"}', 100, 12.5, ARRAY['gpt-4o', 'openai/*'],
            50000, 100, '30d', '2026-04-01 00:00:00.250', '2026-01-02 03:04:05.678', '2026-02-01 00:00:00');
        INSERT INTO "LiteLLM_UserTable" (user_id, user_alias, user_role, user_email, max_budget, spend, models, created_at, updated_at)
        VALUES ('u1', 'Ann', 'proxy_admin', 'ann@example.com', 20, 1.5, ARRAY[]::TEXT[], '2026-01-01 00:00:00', '2026-01-01 00:00:00');
        INSERT INTO "LiteLLM_VerificationToken" (token, key_name, key_alias, spend, expires, models, user_id, team_id, max_parallel_requests,
            metadata, blocked, tpm_limit, rpm_limit, max_budget, budget_duration, budget_reset_at, created_at, created_by, updated_at)
        VALUES ('88dc28d0f030c55ed4ab77ed8faf098196cb1c05df778539800c9f1243fe6b4b', 'sk-...1234', 'ci-key', 3.25, '2026-12-31 23:59:59.999',
            ARRAY['gpt-4o'], 'u1', 'team-1', 4, '{"tags": ["ci"]}', true, 1000, 10, 50, '1d', '2026-03-02 00:00:00', '2026-01-03 00:00:00',
            'default_user_id', '2026-01-03 00:00:00'),
        ('0000000000000000000000000000000000000000000000000000000000000001', NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL, '{}', NULL,
            NULL, NULL, NULL, NULL, NULL, '2026-01-04 00:00:00', NULL, '2026-01-04 00:00:00');
        """;

    [PostgresFact]
    public async Task ImportAsync_LiteLlmRows_CopiedAsTheyAre_SecondRunSkipsThem()
    {
        await using var liteLlm = await TestPostgres.CreateDatabaseAsync();
        await using (var dataSource = NpgsqlDataSource.Create(PostgresConnectionString.FromUrl(liteLlm.Url)))
        await using (var command = dataSource.CreateCommand(LiteLlmSchema))
        {
            await command.ExecuteNonQueryAsync();
        }

        var directory = Directory.CreateTempSubdirectory("llmgate-import-");
        try
        {
            await using var store = new SqliteKeyStore(Path.Combine(directory.FullName, "keys.db"), new FakeTimeProvider(), NullLogger<SqliteKeyStore>.Instance);
            await store.MigrateAsync(CancellationToken.None);
            var importer = new LiteLlmImporter(store);

            var first = await importer.ImportAsync(liteLlm.Url, CancellationToken.None);
            var second = await importer.ImportAsync(liteLlm.Url, CancellationToken.None);

            Assert.Equal(new LiteLlmImportResult(2, 0, 1, 0, 1, 0), first);
            Assert.Equal(new LiteLlmImportResult(0, 2, 0, 1, 0, 1), second);

            var key = await store.FindKeyAsync("88dc28d0f030c55ed4ab77ed8faf098196cb1c05df778539800c9f1243fe6b4b", CancellationToken.None);
            Assert.NotNull(key);
            Assert.Equal(("sk-...1234", "ci-key", 3.25, "u1", "team-1", true, "default_user_id"), (key.KeyName, key.KeyAlias, key.Spend, key.UserId, key.TeamId, key.Blocked, key.CreatedBy));
            Assert.Equal(["gpt-4o"], key.Models);
            Assert.Equal(new EntityLimits
            {
                MaxBudget = 50,
                BudgetDuration = "1d",
                BudgetResetAt = new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero),
                RpmLimit = 10,
                TpmLimit = 1000,
                MaxParallelRequests = 4,
            }, key.Limits);
            Assert.Equal(new DateTimeOffset(2026, 12, 31, 23, 59, 59, 999, TimeSpan.Zero), key.Expires);
            Assert.Equal("""{"tags": ["ci"]}""", key.Metadata);
            Assert.Equal(new DateTimeOffset(2026, 1, 3, 0, 0, 0, TimeSpan.Zero), key.CreatedAt);

            var bare = await store.FindKeyAsync("0000000000000000000000000000000000000000000000000000000000000001", CancellationToken.None);
            Assert.Equal(("sk-...", false, 0), (bare!.KeyName, bare.Blocked, bare.Models.Count));

            var team = await store.FindTeamAsync("team-1", CancellationToken.None);
            Assert.Equal(("Research", 12.5, 100.0, "30d"), (team!.TeamAlias, team.Spend, team.Limits.MaxBudget, team.Limits.BudgetDuration));
            Assert.Equal(new DateTimeOffset(2026, 4, 1, 0, 0, 0, 250, TimeSpan.Zero), team.Limits.BudgetResetAt);
            Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, 678, TimeSpan.Zero), team.CreatedAt);
            Assert.Equal(["gpt-4o", "openai/*"], team.Models);
            Assert.Equal("""[{"role": "admin", "user_id": "u1"}]""", team.MembersWithRoles);

            var user = await store.FindUserAsync("u1", CancellationToken.None);
            Assert.Equal(("Ann", "proxy_admin", "ann@example.com", 1.5, 20.0), (user!.UserAlias, user.UserRole, user.UserEmail, user.Spend, user.Limits.MaxBudget));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task ImportAsync_Unreachable_KeyStoreExceptionWithoutThePassword()
    {
        await using var store = new SqliteKeyStore(Path.Combine(Path.GetTempPath(), "never-opened-" + Guid.NewGuid().ToString("N"), "keys.db"), TimeProvider.System, NullLogger<SqliteKeyStore>.Instance);
        var port = LoopbackPorts.Free();

        var exception = await Assert.ThrowsAsync<KeyStoreException>(() =>
            new LiteLlmImporter(store).ImportAsync($"postgresql://litellm:Sup3rSecret@127.0.0.1:{port}/litellm?pool_timeout=2", CancellationToken.None));

        Assert.DoesNotContain("Sup3rSecret", exception.ToString(), StringComparison.Ordinal);
        Assert.Contains("/litellm", exception.Message, StringComparison.Ordinal);
    }
}
