using LlmGate.Alerting;
using LlmGate.Alerting.Delivery;
using LlmGate.Calls;
using LlmGate.Alerting.PagerDuty;
using LlmGate.Secrets;
using LlmGate.Testing;

namespace LlmGate.Tests.Alerting;

public sealed class SecretLeakTests
{
    private const string UserEmail = "alice.smith@example.com";
    private const string LeakedKey = "sk-live-9fJ2kQ7xW3mN8pR1";
    private const string BearerToken = "eyJhbGciOiJIUzI1NiJ9.c2VjcmV0";
    private const string Prompt = "tell me the launch codes";

    private static readonly string[] Secrets =
    [
        AlertingFixture.RoutingKey, AlertingFixture.MasterKey, AlertingFixture.DeploymentApiKey, LeakedKey, BearerToken, UserEmail, Prompt,
    ];

    [Fact]
    public async Task Trigger_ErrorMessagesFullOfSecrets_NoSecretInAnyEventBodyOrLogLine()
    {
        using var alerting = new AlertingFixture();
        var messages = new[]
        {
            $"Incorrect API key provided: {LeakedKey}. You can find your API key at https://platform.openai.com/account/api-keys.",
            $"Request from {UserEmail} failed: 401 with Authorization: Bearer {BearerToken}",
            $"upstream echoed key {AlertingFixture.DeploymentApiKey} and master {AlertingFixture.MasterKey}",
            $"routing key {AlertingFixture.RoutingKey} leaked into an upstream message",
            $"bearer {BearerToken} rejected for {UserEmail.ToUpperInvariant()}",
        };
        foreach (var message in messages)
        {
            // The observer API carries no prompt or completion at all: only ids, statuses and the error text.
            alerting.Calls.StartRouted("gpt-4o", "d1", "openai", stream: false).Failed(new CallFailure(401, $"auth_error for {UserEmail}", message, FailureKind.UpstreamError));
        }

        alerting.RunFor(TimeSpan.FromSeconds(1));
        alerting.RunFor(TimeSpan.FromSeconds(200)); // and the resolve

        await using var pagerDuty = await FakePagerDuty.StartAsync();
        await using var harness = SenderHarness.Create(pagerDuty);
        pagerDuty.ScriptResponses(400); // the rejection path logs PagerDuty's answer: it must stay clean too
        harness.Enqueue("rejected-first");
        var queued = alerting.Drain();
        Assert.Equal(2, queued.Count);
        foreach (var entry in queued)
        {
            harness.Enqueue(entry.DedupKey, entry.Action, entry.Payload);
        }

        await harness.StartAsync();
        await pagerDuty.WaitForEventsAsync(2, SenderHarness.Patience);
        await harness.StopAsync();

        foreach (var sent in pagerDuty.Requests)
        {
            var withoutRoutingKeyMember = sent.RawBody.Replace($"\"routing_key\":\"{AlertingFixture.RoutingKey}\"", string.Empty, StringComparison.Ordinal);
            AssertClean(withoutRoutingKeyMember);
        }

        var recentErrors = pagerDuty.Events[0].Body.GetProperty("payload").GetProperty("custom_details").GetProperty("recent_errors");
        Assert.Equal(5, recentErrors.GetArrayLength());
        Assert.Contains("[redacted]", recentErrors[0].GetProperty("message").GetString(), StringComparison.Ordinal);

        var logLines = alerting.Logs.GetSnapshot().Concat(harness.Logs.GetSnapshot()).ToList();
        Assert.NotEmpty(logLines);
        foreach (var line in logLines)
        {
            AssertClean(line.Message);
            AssertClean(line.Exception?.ToString() ?? string.Empty);
            AssertClean(string.Join(' ', line.StructuredState?.Select(p => p.Value) ?? []));
        }
    }

    [Theory]
    [InlineData("key sk-abc123def456 expired", "key sk-[redacted] expired")]
    [InlineData("mail bob@corp.example.org now", "mail [email] now")]
    [InlineData("Authorization: Bearer abc.def", "Authorization: [redacted]")]
    [InlineData("plain upstream error", "plain upstream error")]
    public void Scrub_SecretShapedText_Redacted(string message, string expected) =>
        Assert.Equal(expected, new SecretScrubber([]).Scrub(message));

    [Fact]
    public void Scrub_LongMessage_CutTo200WithEllipsis()
    {
        var scrubbed = new SecretScrubber([]).Scrub(new string('a', 5000));

        Assert.Equal(SecretScrubber.MaxMessageLength, scrubbed.Length);
        Assert.EndsWith("…", scrubbed, StringComparison.Ordinal);
    }

    private static void AssertClean(string text)
    {
        foreach (var secret in Secrets)
        {
            Assert.DoesNotContain(secret, text, StringComparison.OrdinalIgnoreCase);
        }

        Assert.DoesNotMatch(@"sk-(?!\[redacted\])[A-Za-z0-9]", text);
    }
}
