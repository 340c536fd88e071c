namespace LlmGate.Keys;

/// <summary>
/// Where keys, teams, users and spend live: SQLite under <c>--data-dir</c> by default, PostgreSQL when
/// <c>database_url</c> is set. The request path never calls it: the key cache and the spend writer do, off the path.
/// Every mutation records an <see cref="EntityChange"/>, so other replicas polling <see cref="ChangesSinceAsync"/>
/// see it. Failures to reach the database throw <see cref="KeyStoreException"/>.
/// </summary>
internal interface IKeyStore : IAsyncDisposable
{
    /// <summary><c>sqlite</c> or <c>postgresql</c>, for messages and readiness.</summary>
    string Kind { get; }

    /// <summary>Creates the schema or applies the migrations it lacks; never drops or rewrites data.</summary>
    Task MigrateAsync(CancellationToken cancellationToken);

    /// <summary>True when the database answers a trivial query.</summary>
    Task<bool> PingAsync(CancellationToken cancellationToken);

    Task<VirtualKey?> FindKeyAsync(string token, CancellationToken cancellationToken);

    Task<VirtualKey?> FindKeyByAliasAsync(string alias, CancellationToken cancellationToken);

    /// <summary>Throws <see cref="KeyStoreConflictException"/> when the token or alias is taken.</summary>
    Task CreateKeyAsync(VirtualKey key, CancellationToken cancellationToken);

    /// <summary>Replaces every field but <see cref="VirtualKey.Spend"/> (which only spend batches change); false when absent.</summary>
    Task<bool> UpdateKeyAsync(VirtualKey key, CancellationToken cancellationToken);

    /// <summary>Sets spend to <paramref name="spend"/> (an admin's reset); false when absent.</summary>
    Task<bool> SetKeySpendAsync(string token, double spend, CancellationToken cancellationToken);

    /// <summary>Moves a key to a new token (<c>/key/regenerate</c>), keeping everything else; false when absent.</summary>
    Task<bool> ReplaceKeyTokenAsync(string oldToken, string newToken, string newKeyName, CancellationToken cancellationToken);

    /// <summary>Deletes the keys; returns the tokens that existed.</summary>
    Task<IReadOnlyList<string>> DeleteKeysAsync(IReadOnlyList<string> tokens, CancellationToken cancellationToken);

    Task<KeyListPage> ListKeysAsync(KeyListQuery query, CancellationToken cancellationToken);

    Task<KeyTeam?> FindTeamAsync(string teamId, CancellationToken cancellationToken);

    Task CreateTeamAsync(KeyTeam team, CancellationToken cancellationToken);

    Task<bool> UpdateTeamAsync(KeyTeam team, CancellationToken cancellationToken);

    /// <summary>Deletes the teams (their keys stay, without a team, as in LiteLLM); returns the ids that existed.</summary>
    Task<IReadOnlyList<string>> DeleteTeamsAsync(IReadOnlyList<string> teamIds, CancellationToken cancellationToken);

    Task<IReadOnlyList<KeyTeam>> ListTeamsAsync(CancellationToken cancellationToken);

    Task<KeyUser?> FindUserAsync(string userId, CancellationToken cancellationToken);

    Task CreateUserAsync(KeyUser user, CancellationToken cancellationToken);

    Task<bool> UpdateUserAsync(KeyUser user, CancellationToken cancellationToken);

    /// <summary>
    /// In one transaction: the budget resets whose expected <c>budget_reset_at</c> still holds, the spend increments,
    /// the spend-log rows (a request id already present is skipped), and a change per entity touched. A batch whose
    /// <see cref="SpendBatch.BatchId"/> was applied before is a no-op.
    /// </summary>
    Task ApplySpendAsync(SpendBatch batch, CancellationToken cancellationToken);

    /// <summary>
    /// The keys, teams and users whose budget period has ended by <paramref name="now"/> (a <c>budget_duration</c> and
    /// a <c>budget_reset_at</c> not after it), each as the reset to apply, at most 1000 of each kind.
    /// </summary>
    Task<IReadOnlyList<BudgetReset>> DueBudgetResetsAsync(DateTimeOffset now, CancellationToken cancellationToken);

    Task<IReadOnlyList<SpendLogRow>> QuerySpendLogsAsync(SpendLogQuery query, CancellationToken cancellationToken);

    /// <summary>Deletes spend-log rows that started before <paramref name="cutoff"/>; returns how many.</summary>
    Task<int> DeleteSpendLogsBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken);

    /// <summary>The changes recorded after <paramref name="afterSequence"/> (0: from the start), oldest first, at most 1000.</summary>
    Task<StoreChanges> ChangesSinceAsync(long afterSequence, CancellationToken cancellationToken);
}
