using System.Globalization;
using LlmGate.Alerting;
using LlmGate.Alerting.Delivery;
using LlmGate.Alerting.PagerDuty;
using LlmGate.Secrets;
using LlmGate.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace LlmGate.Tests.Alerting.Delivery;

public sealed class OutboxMigrationTests
{
    // The outbox exactly as LlmGate wrote it before channels (schema version 0: no user_version set), copied from the
    // SqliteAlertOutbox of that version. A fixture: never change it.
    private const string FirstVersionSchema = """
        PRAGMA journal_mode = WAL;
        PRAGMA synchronous = FULL;
        PRAGMA busy_timeout = 5000;
        CREATE TABLE IF NOT EXISTS outbox (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            dedup_key TEXT NOT NULL,
            action TEXT NOT NULL,
            body TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at INTEGER NOT NULL
        );
        CREATE TABLE IF NOT EXISTS open_incidents (
            dedup_key TEXT PRIMARY KEY,
            kind INTEGER NOT NULL,
            scope TEXT NOT NULL,
            opened_at INTEGER NOT NULL
        );
        """;

    // The statements that version ran: Enqueue (the row, then the incident in the same transaction), Reschedule, Delete.
    private const string FirstVersionInsert = "INSERT INTO outbox (dedup_key, action, body, created_at, attempts, next_attempt_at) VALUES ($key, $action, $body, $now, 0, $now)";
    private const string FirstVersionOpenIncident = "INSERT OR REPLACE INTO open_incidents (dedup_key, kind, scope, opened_at) VALUES ($key, $kind, $scope, $opened)";
    private const string FirstVersionCloseIncident = "DELETE FROM open_incidents WHERE dedup_key = $key";
    private const string FirstVersionReschedule = "UPDATE outbox SET attempts = $attempts, next_attempt_at = $next WHERE id = $id";
    private const string FirstVersionDelete = "DELETE FROM outbox WHERE id = $id";

    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly AlertRule Failures = AlertRule.ForFailures(AlertingFixture.DefaultOptions());
    private static readonly AlertRule Hangs = AlertRule.ForHangs(AlertingFixture.DefaultOptions());

    // A: failures for the gateway, its trigger failed twice and is pending. B: hangs, triggered and delivered, its resolve
    // pending. C: failures of a model group the new config no longer has, its trigger pending.
    private static readonly string IncidentA = DedupKeys.For(Failures, AlertScopes.Gateway);
    private static readonly string IncidentB = DedupKeys.For(Hangs, AlertScopes.Gateway);
    private static readonly string IncidentC = DedupKeys.For(Failures, "retired-group");

    [Fact]
    public async Task Open_FileOfTheFirstVersionWithPendingEventsAndOpenIncidents_EveryEventDeliveredToPagerDuty()
    {
        using var directory = new TempDirectory();
        var path = SqliteAlertOutbox.PathIn(directory.Path);
        WriteFirstVersionFile(path);
        await using var pagerDuty = await FakePagerDuty.StartAsync();
        var time = new FakeTimeProvider(Now);

        await using var harness = SenderHarness.Create(pagerDuty, directory, time);
        var pending = harness.Outbox.PeekOldest(PagerDutyChannel.ChannelName)!;
        Assert.Equal((IncidentA, AlertAction.Trigger, 2), (pending.DedupKey, pending.Action, pending.Attempts)); // its retries so far are kept
        Assert.Equal(3, harness.Outbox.Count(PagerDutyChannel.ChannelName));
        Assert.Equal([IncidentA, IncidentC], harness.Outbox.LoadOpenIncidents().Select(i => i.DedupKey));

        // The detector of the new version restores A and resolves C at once (its scope is gone).
        var options = AlertingFixture.DefaultOptions(pagerDuty.EventsUrl);
        var scopes = AlertScopes.Create([], perModelGroup: false);
        var store = new InMemoryAlertStateStore(AlertRule.From(options), scopes);
        var registry = new InFlightRegistry(options, store, scopes, new SecretScrubber([]), time);
        var notifier = new AlertNotifier(harness.Outbox, [harness.Channel], NullLogger<AlertNotifier>.Instance);
        var detector = new AlertDetector(registry, store, scopes, options, harness.Outbox, notifier, time, NullLogger<AlertDetector>.Instance);
        await harness.StartAsync();

        await pagerDuty.WaitForEventsAsync(4, SenderHarness.Patience);
        Assert.Equal(
            [("trigger", IncidentA), ("resolve", IncidentB), ("trigger", IncidentC), ("resolve", IncidentC)],
            pagerDuty.Events.Select(e => (e.EventAction, e.DedupKey!)));
        Assert.All(pagerDuty.Events, e => Assert.Equal(AlertingFixture.RoutingKey, e.RoutingKey));
        Assert.StartsWith("High LLM API Failure Rate: 5 in the last 60 seconds.", pagerDuty.Events[0].Summary, StringComparison.Ordinal);
        Assert.Equal([IncidentA], store.ListOpenIncidents().Select(i => i.DedupKey));

        // PagerDuty counted the last event before its answer was back: moving the clock a minute before the sender has
        // that answer would time the send out (PagerDutyClient.SendTimeout) and retry it after a back-off nobody ends.
        await harness.WaitForAnswersAsync(4);
        for (var second = 0; second < 61; second++)
        {
            time.Advance(AlertDetector.EvaluationInterval);
            detector.Evaluate();
        }

        await pagerDuty.WaitForEventsAsync(5, SenderHarness.Patience);
        Assert.Equal(("resolve", IncidentA), (pagerDuty.Events[4].EventAction, pagerDuty.Events[4].DedupKey!));
        Assert.Equal(FakeIncidentState.Resolved, pagerDuty.Incident(IncidentA)!.State);
        Assert.Empty(harness.Outbox.LoadOpenIncidents());
    }

    [Fact]
    public void Open_FileOfTheFirstVersion_MigratedToTheLatestVersionOnceWithItsRowsInThePagerDutyLane()
    {
        using var directory = new TempDirectory();
        var path = SqliteAlertOutbox.PathIn(directory.Path);
        WriteFirstVersionFile(path);
        var time = new FakeTimeProvider(Now);

        using (new SqliteAlertOutbox(path, time))
        {
        }

        using (var reopened = new SqliteAlertOutbox(path, time))
        {
            Assert.Equal(3, reopened.Count());
            Assert.Equal(3, reopened.Count(PagerDutyChannel.ChannelName));
            Assert.Equal(2, reopened.LoadOpenIncidents().Count);
        }

        using var connection = Open(path);
        Assert.Equal(OutboxSchema.Version, OutboxSchema.ReadVersion(connection));
        Assert.Equal(["pagerduty"], Column(connection, "SELECT DISTINCT channel FROM outbox"));
        Assert.Equal(["trigger", "resolve", "trigger"], Column(connection, "SELECT action FROM outbox ORDER BY id"));

        // The incidents open then went to PagerDuty: their resolves will go there.
        Assert.Equal(
            [.. new[] { $"{IncidentA}|pagerduty|llm_api_failure", $"{IncidentC}|pagerduty|llm_api_failure" }.Order(StringComparer.Ordinal)],
            Column(connection, "SELECT dedup_key || '|' || channel || '|' || type FROM notified ORDER BY dedup_key"));
    }

    [Fact]
    public void Open_FileOfANewerVersion_RefusedAndLeftAsItWas()
    {
        using var directory = new TempDirectory();
        var path = SqliteAlertOutbox.PathIn(directory.Path);
        WriteFirstVersionFile(path);
        var newer = OutboxSchema.Version + 1;
        using (var connection = Open(path))
        {
            Execute(connection, string.Create(CultureInfo.InvariantCulture, $"PRAGMA user_version = {newer}"));
        }

        var error = Assert.Throws<InvalidOperationException>(() => new SqliteAlertOutbox(path, new FakeTimeProvider(Now)));

        Assert.Contains("newer LlmGate", error.Message, StringComparison.Ordinal);
        using var after = Open(path);
        Assert.Equal(newer, OutboxSchema.ReadVersion(after));
        Assert.Equal(["3"], Column(after, "SELECT COUNT(*) FROM outbox"));
        Assert.DoesNotContain("channel", Column(after, "SELECT name FROM pragma_table_info('outbox')"));
    }

    [Fact]
    public void Open_NewFile_CreatedAtTheLatestVersion()
    {
        using var directory = new TempDirectory();
        var path = SqliteAlertOutbox.PathIn(directory.Path);

        using (var outbox = new SqliteAlertOutbox(path, new FakeTimeProvider(Now)))
        {
            outbox.Enqueue("k", AlertAction.Trigger, [new ChannelPayload("a", "{}"), new ChannelPayload("b", "{}")]);
            Assert.Equal((1, 1), (outbox.Count("a"), outbox.Count("b")));
        }

        using var connection = Open(path);
        Assert.Equal(OutboxSchema.Version, OutboxSchema.ReadVersion(connection));
    }

    /// <summary>What the first version left behind: B delivered then resolved, A failed twice, C queued; A and C open.</summary>
    private static void WriteFirstVersionFile(string path)
    {
        using var connection = Open(path);
        Execute(connection, FirstVersionSchema);
        var b = Enqueue(connection, IncidentB, "trigger", TriggerBody(IncidentB, Hangs, "1 in the last 600 seconds."), Now.AddMinutes(-10), (AlertKind.Hang, AlertScopes.Gateway));
        Execute(connection, FirstVersionDelete, ("$id", b));
        var a = Enqueue(connection, IncidentA, "trigger", TriggerBody(IncidentA, Failures, "5 in the last 60 seconds."), Now.AddMinutes(-1), (AlertKind.Failure, AlertScopes.Gateway));
        Execute(connection, FirstVersionReschedule, ("$attempts", 1), ("$next", Now.AddSeconds(-59.5).UtcTicks), ("$id", a));
        Execute(connection, FirstVersionReschedule, ("$attempts", 2), ("$next", Now.AddSeconds(-58.5).UtcTicks), ("$id", a));
        Enqueue(connection, IncidentB, "resolve", $$"""{"event_action":"resolve","dedup_key":"{{IncidentB}}"}""", Now.AddSeconds(-30), (AlertKind.Hang, AlertScopes.Gateway));
        Enqueue(connection, IncidentC, "trigger", TriggerBody(IncidentC, Failures, "7 in the last 60 seconds."), Now.AddSeconds(-10), (AlertKind.Failure, "retired-group"));
    }

    private static string TriggerBody(string dedupKey, AlertRule rule, string counted) =>
        $$$$"""{"event_action":"trigger","dedup_key":"{{{{dedupKey}}}}","payload":{"summary":"{{{{rule.SummaryTitle}}}}: {{{{counted}}}}","source":"llmgate-old","severity":"critical","timestamp":"2026-03-01T11:59:00.0000000+00:00","component":"llmgate","class":"{{{{rule.ClassName}}}}","custom_details":{"scope":"gateway"}}}""";

    private static long Enqueue(SqliteConnection connection, string key, string action, string body, DateTimeOffset at, (AlertKind Kind, string Scope) incident)
    {
        using var transaction = connection.BeginTransaction();
        Execute(connection, FirstVersionInsert, ("$key", key), ("$action", action), ("$body", body), ("$now", at.UtcTicks));
        var id = long.Parse(Column(connection, "SELECT last_insert_rowid()")[0], CultureInfo.InvariantCulture);
        if (action == "trigger")
        {
            Execute(connection, FirstVersionOpenIncident, ("$key", key), ("$kind", (int)incident.Kind), ("$scope", incident.Scope), ("$opened", at.UtcTicks));
        }
        else
        {
            Execute(connection, FirstVersionCloseIncident, ("$key", key));
        }

        transaction.Commit();
        return id;
    }

    private static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        command.ExecuteNonQuery();
    }

    private static List<string> Column(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(Convert.ToString(reader.GetValue(0), CultureInfo.InvariantCulture)!);
        }

        return values;
    }
}
