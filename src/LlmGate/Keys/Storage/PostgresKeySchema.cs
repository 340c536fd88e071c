namespace LlmGate.Keys;

/// <summary>
/// The PostgreSQL schema as numbered migrations (<c>llmgate_schema_migrations</c> records which ran): the SQLite
/// schema's tables and columns in PostgreSQL's types. Every name starts <c>llmgate_</c>, so the tables can share a
/// database with LiteLLM's own. Times are <c>timestamptz</c>; models and metadata are text (JSON kept exactly as given,
/// as <c>jsonb</c> would not).
/// </summary>
internal static class PostgresKeySchema
{
    public const string CreateMigrationsTable =
        "CREATE TABLE IF NOT EXISTS llmgate_schema_migrations (version INTEGER PRIMARY KEY NOT NULL, applied_at TIMESTAMPTZ NOT NULL)";

    // Never edit a migration that has shipped; add the next one at the end. Only add: never drop or rewrite data.
    public static readonly IReadOnlyList<string> Migrations =
    [
        // 1. Keys, teams, users, spend logs, applied spend batches and the change feed.
        """
        CREATE TABLE llmgate_keys (
            token TEXT PRIMARY KEY NOT NULL,
            key_name TEXT NOT NULL,
            key_alias TEXT,
            models TEXT NOT NULL DEFAULT '[]',
            spend DOUBLE PRECISION NOT NULL DEFAULT 0,
            max_budget DOUBLE PRECISION,
            soft_budget DOUBLE PRECISION,
            budget_duration TEXT,
            budget_reset_at TIMESTAMPTZ,
            rpm_limit BIGINT,
            tpm_limit BIGINT,
            max_parallel_requests BIGINT,
            expires TIMESTAMPTZ,
            metadata TEXT NOT NULL DEFAULT '{}',
            team_id TEXT,
            user_id TEXT,
            blocked BOOLEAN NOT NULL DEFAULT FALSE,
            created_at TIMESTAMPTZ NOT NULL,
            updated_at TIMESTAMPTZ NOT NULL,
            created_by TEXT
        );
        CREATE UNIQUE INDEX llmgate_keys_alias ON llmgate_keys (key_alias) WHERE key_alias IS NOT NULL;
        CREATE INDEX llmgate_keys_team ON llmgate_keys (team_id);
        CREATE INDEX llmgate_keys_user ON llmgate_keys (user_id);
        CREATE INDEX llmgate_keys_created ON llmgate_keys (created_at);

        CREATE TABLE llmgate_teams (
            team_id TEXT PRIMARY KEY NOT NULL,
            team_alias TEXT,
            models TEXT NOT NULL DEFAULT '[]',
            spend DOUBLE PRECISION NOT NULL DEFAULT 0,
            max_budget DOUBLE PRECISION,
            soft_budget DOUBLE PRECISION,
            budget_duration TEXT,
            budget_reset_at TIMESTAMPTZ,
            rpm_limit BIGINT,
            tpm_limit BIGINT,
            max_parallel_requests BIGINT,
            metadata TEXT NOT NULL DEFAULT '{}',
            members_with_roles TEXT NOT NULL DEFAULT '[]',
            blocked BOOLEAN NOT NULL DEFAULT FALSE,
            created_at TIMESTAMPTZ NOT NULL,
            updated_at TIMESTAMPTZ NOT NULL
        );

        CREATE TABLE llmgate_users (
            user_id TEXT PRIMARY KEY NOT NULL,
            user_alias TEXT,
            user_email TEXT,
            user_role TEXT NOT NULL DEFAULT 'internal_user',
            models TEXT NOT NULL DEFAULT '[]',
            spend DOUBLE PRECISION NOT NULL DEFAULT 0,
            max_budget DOUBLE PRECISION,
            soft_budget DOUBLE PRECISION,
            budget_duration TEXT,
            budget_reset_at TIMESTAMPTZ,
            rpm_limit BIGINT,
            tpm_limit BIGINT,
            max_parallel_requests BIGINT,
            metadata TEXT NOT NULL DEFAULT '{}',
            created_at TIMESTAMPTZ NOT NULL,
            updated_at TIMESTAMPTZ NOT NULL
        );

        CREATE TABLE llmgate_spend_logs (
            request_id TEXT PRIMARY KEY NOT NULL,
            call_type TEXT NOT NULL,
            api_key TEXT NOT NULL DEFAULT '',
            key_alias TEXT,
            spend DOUBLE PRECISION NOT NULL DEFAULT 0,
            prompt_tokens BIGINT NOT NULL DEFAULT 0,
            completion_tokens BIGINT NOT NULL DEFAULT 0,
            total_tokens BIGINT NOT NULL DEFAULT 0,
            start_time TIMESTAMPTZ NOT NULL,
            end_time TIMESTAMPTZ NOT NULL,
            model TEXT,
            model_id TEXT,
            model_group TEXT,
            custom_llm_provider TEXT,
            team_id TEXT,
            user_id TEXT,
            status TEXT NOT NULL
        );
        CREATE INDEX llmgate_spend_logs_start ON llmgate_spend_logs (start_time);
        CREATE INDEX llmgate_spend_logs_key_start ON llmgate_spend_logs (api_key, start_time);

        CREATE TABLE llmgate_spend_batches (
            batch_id TEXT PRIMARY KEY NOT NULL,
            applied_at TIMESTAMPTZ NOT NULL
        );
        CREATE INDEX llmgate_spend_batches_applied ON llmgate_spend_batches (applied_at);

        CREATE TABLE llmgate_changes (
            seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            kind TEXT NOT NULL,
            id TEXT NOT NULL,
            at TIMESTAMPTZ NOT NULL
        );
        CREATE INDEX llmgate_changes_at ON llmgate_changes (at);
        """,
    ];
}
