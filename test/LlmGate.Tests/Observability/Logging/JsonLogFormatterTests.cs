using System.Diagnostics;
using System.Text.Json;
using LlmGate.Observability.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace LlmGate.Tests.Observability.Logging;

public sealed class JsonLogFormatterTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 1, 2, 3, 456, TimeSpan.Zero);

    private static FormattingLogger Logger(TimeProvider? time = null, bool includeScopes = true, string category = "LlmGate.Proxy.AttemptLoop") =>
        new(new JsonLogFormatter(new FixedOptionsMonitor<JsonLogFormatterOptions>(new() { IncludeScopes = includeScopes }), time ?? new FakeTimeProvider(Now)), category);

    private static JsonElement Single(FormattingLogger logger)
    {
        var line = Assert.Single(logger.Lines);
        using var document = JsonDocument.Parse(line);
        Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
        return document.RootElement.Clone();
    }

    [Fact]
    public void Write_LoggerMessage_LiteLlmFieldsAndEachStructuredFieldWithItsJsonType()
    {
        var logger = Logger();

        TestLog.Answered(logger, "gpt-4o", 503, 1.25, true, new DateTimeOffset(2026, 11, 28, 1, 3, 0, TimeSpan.Zero), DayOfWeek.Friday);

        var line = Single(logger);
        Assert.Equal("2026-11-28T01:02:03.456Z", line.GetProperty("timestamp").GetString());
        Assert.Equal("WARNING", line.GetProperty("level").GetString());
        Assert.Equal(
            "Upstream of model group gpt-4o answered 503 after 1.25 s (streamed: True, until 11/28/2026 01:03:00 +00:00, kind Friday)",
            line.GetProperty("message").GetString());
        Assert.Equal("LlmGate.Proxy.AttemptLoop", line.GetProperty("logger").GetString());
        Assert.Equal("Answered", line.GetProperty("event").GetString());
        Assert.Equal(4201, line.GetProperty("event_id").GetInt32());
        Assert.Equal("gpt-4o", line.GetProperty("ModelGroup").GetString());
        Assert.Equal(503, line.GetProperty("Status").GetInt32());
        Assert.Equal(1.25, line.GetProperty("Seconds").GetDouble());
        Assert.Equal(JsonValueKind.True, line.GetProperty("Streamed").ValueKind);
        Assert.Equal("2026-11-28T01:03:00+00:00", line.GetProperty("Until").GetString());
        Assert.Equal("Friday", line.GetProperty("Kind").GetString());
        Assert.False(line.TryGetProperty("{OriginalFormat}", out _));
        Assert.False(line.TryGetProperty("exception", out _));
    }

    [Theory]
    [InlineData(LogLevel.Trace, "TRACE")]
    [InlineData(LogLevel.Debug, "DEBUG")]
    [InlineData(LogLevel.Information, "INFO")]
    [InlineData(LogLevel.Warning, "WARNING")]
    [InlineData(LogLevel.Error, "ERROR")]
    [InlineData(LogLevel.Critical, "CRITICAL")]
    public void Write_EachLevel_LiteLlmLevelName(LogLevel level, string expected)
    {
        var logger = Logger();

        TestLog.TwoLines(logger, level, "ops");

        Assert.Equal(expected, Single(logger).GetProperty("level").GetString());
    }

    [Fact]
    public void Write_ClockWithOffset_TimestampInUtcWithZ()
    {
        var logger = Logger(new OffsetTimeProvider(new DateTimeOffset(2026, 11, 28, 3, 2, 3, 456, TimeSpan.FromHours(2))));

        TestLog.TwoLines(logger, LogLevel.Information, "ops");

        Assert.Equal("2026-11-28T01:02:03.456Z", Single(logger).GetProperty("timestamp").GetString());
    }

    [Fact]
    public void Write_MessageWithLineBreak_StaysOneLine()
    {
        var logger = Logger();

        TestLog.TwoLines(logger, LogLevel.Information, "ops");

        Assert.Equal("Line one\nline two for ops", Single(logger).GetProperty("message").GetString());
        Assert.EndsWith(Environment.NewLine, logger.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_FieldsNamedLikeTheLinesOwnKeys_PrefixedNeverOverwritten()
    {
        var logger = Logger();
        using (logger.BeginScope(new Dictionary<string, object?> { ["CallId"] = "the-real-call" }))
        {
            TestLog.Clashing(logger, "spoofed message", "DEBUG", "spoofed-call");
        }

        var line = Single(logger);
        Assert.Equal("Clashing spoofed message, DEBUG and spoofed-call", line.GetProperty("message").GetString());
        Assert.Equal("INFO", line.GetProperty("level").GetString());
        Assert.Equal("the-real-call", line.GetProperty("call_id").GetString());
        Assert.Equal("spoofed message", line.GetProperty("field_message").GetString());
        Assert.Equal("DEBUG", line.GetProperty("field_level").GetString());
        Assert.Equal("spoofed-call", line.GetProperty("field_call_id").GetString());
        Assert.Equal(1, line.EnumerateObject().Count(p => p.Name == "message"));
    }

    [Fact]
    public void Write_Exception_ObjectWithTypeMessageAndStacktrace()
    {
        var logger = Logger();
        var exception = Thrown();

        TestLog.Failed(logger, exception, "/v1/chat/completions");

        var line = Single(logger);
        Assert.Equal("ERROR", line.GetProperty("level").GetString());
        Assert.Equal("Request to /v1/chat/completions failed", line.GetProperty("message").GetString());
        var written = line.GetProperty("exception");
        Assert.Equal("System.InvalidOperationException", written.GetProperty("type").GetString());
        Assert.Equal("the adapter broke", written.GetProperty("message").GetString());
        Assert.Contains(nameof(Thrown), written.GetProperty("stacktrace").GetString(), StringComparison.Ordinal);
        Assert.Contains("System.TimeoutException: inner", written.GetProperty("stacktrace").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Write_HostingAndCallScopes_TraceSpanRequestAndCallIdsOnly()
    {
        var logger = Logger();
        // As ASP.NET Core's activity and hosting scopes, an HTTP client's scope with a URL, and the proxy's call scope.
        using (logger.BeginScope(new List<KeyValuePair<string, object?>> { new("SpanId", "00f067aa0ba902b7"), new("TraceId", "4bf92f3577b34da6a3ce929d0e0e4736"), new("ParentId", "0000000000000000") }))
        using (logger.BeginScope(new List<KeyValuePair<string, object?>> { new("RequestId", "0HN1:00000001"), new("RequestPath", "/v1/chat/completions") }))
        using (logger.BeginScope(new List<KeyValuePair<string, object?>> { new("HttpMethod", "POST"), new("Uri", "https://example.test/v1?key=secret-in-url") }))
        using (logger.BeginScope(new LlmGate.Proxy.CallLogScope(new LlmGate.Calls.CallTracker([], TimeProvider.System).Start(LlmGate.Calls.CallerIdentity.MasterKey))))
        {
            TestLog.TwoLines(logger, LogLevel.Warning, "ops");
        }

        var line = Single(logger);
        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", line.GetProperty("trace_id").GetString());
        Assert.Equal("00f067aa0ba902b7", line.GetProperty("span_id").GetString());
        Assert.Equal("0HN1:00000001", line.GetProperty("request_id").GetString());
        Assert.True(Guid.TryParse(line.GetProperty("call_id").GetString(), out _));
        Assert.DoesNotContain("secret-in-url", logger.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("RequestPath", logger.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_ScopesOff_NoScopeIds()
    {
        var logger = Logger(includeScopes: false);
        using (logger.BeginScope(new List<KeyValuePair<string, object?>> { new("RequestId", "0HN1:00000001"), new("CallId", "c-1") }))
        {
            TestLog.TwoLines(logger, LogLevel.Warning, "ops");
        }

        var line = Single(logger);
        Assert.False(line.TryGetProperty("request_id", out _));
        Assert.False(line.TryGetProperty("call_id", out _));
    }

    [Fact]
    public void Write_CurrentActivityAndNoTraceScope_TraceAndSpanOfTheActivity()
    {
        var logger = Logger();
        using var activity = new Activity("test").SetIdFormat(ActivityIdFormat.W3C).Start();

        TestLog.TwoLines(logger, LogLevel.Information, "ops");

        var line = Single(logger);
        Assert.Equal(activity.TraceId.ToHexString(), line.GetProperty("trace_id").GetString());
        Assert.Equal(activity.SpanId.ToHexString(), line.GetProperty("span_id").GetString());
    }

    [Fact]
    public void Write_NullNonFiniteAndListValues_NullTextAndArray()
    {
        var logger = Logger();

        TestLog.Odd(logger, null, double.NaN);
        // The source generator hands a list over as text; the framework's own extension methods keep it a list.
        logger.LogInformation("Groups {Groups}", new List<string> { "gpt-4o", "claude" });

        Assert.Equal(2, logger.Lines.Count);
        using var odd = JsonDocument.Parse(logger.Lines[0]);
        Assert.Equal(JsonValueKind.Null, odd.RootElement.GetProperty("Missing").ValueKind);
        Assert.Equal("NaN", odd.RootElement.GetProperty("NotANumber").GetString());
        using var groups = JsonDocument.Parse(logger.Lines[1]);
        Assert.Equal(["gpt-4o", "claude"], groups.RootElement.GetProperty("Groups").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void Write_ManyLinesOnOneThread_EachAFreshObject()
    {
        var logger = Logger();
        using (logger.BeginScope(new List<KeyValuePair<string, object?>> { new("CallId", "first") }))
        {
            TestLog.Failed(logger, Thrown(), "/a");
        }

        TestLog.TwoLines(logger, LogLevel.Information, "second");

        Assert.Equal(2, logger.Lines.Count);
        using var second = JsonDocument.Parse(logger.Lines[1]);
        Assert.False(second.RootElement.TryGetProperty("call_id", out _));
        Assert.False(second.RootElement.TryGetProperty("exception", out _));
        Assert.False(second.RootElement.TryGetProperty("Path", out _));
    }

    [Fact]
    public void Write_ExceptionQuotingCredentials_RedactedInMessageAndStacktrace()
    {
        var logger = Logger();
        var exception = Thrown("refused: Authorization: Bearer sk-live-abcdef123456", new HttpRequestException("key sk-proj-0123456789 rejected"));

        TestLog.Failed(logger, exception, "/v1/chat/completions");

        Assert.DoesNotContain("abcdef123456", logger.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-proj-0123456789", logger.Text, StringComparison.Ordinal);
        var written = Single(logger).GetProperty("exception");
        Assert.StartsWith("refused: Authorization: [redacted]", written.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("key sk-[redacted] rejected", written.GetProperty("stacktrace").GetString(), StringComparison.Ordinal);
    }

    private static InvalidOperationException Thrown(string message = "the adapter broke", Exception? inner = null)
    {
        try
        {
            throw new InvalidOperationException(message, inner ?? new TimeoutException("inner"));
        }
        catch (InvalidOperationException exception)
        {
            return exception;
        }
    }
}
