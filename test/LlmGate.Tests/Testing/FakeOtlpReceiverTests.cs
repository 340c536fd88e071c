using System.Diagnostics;
using System.Diagnostics.Metrics;
using LlmGate.Testing;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace LlmGate.Tests.Testing;

/// <summary>The receiver decodes what the real OpenTelemetry OTLP/HTTP exporter sends, field for field.</summary>
public sealed class FakeOtlpReceiverTests : IAsyncLifetime
{
    // Unique per run, so that no other test's spans or measurements reach these providers.
    private readonly string _name = "FakeOtlpReceiverTests." + Guid.NewGuid().ToString("N");
    private FakeOtlpReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await FakeOtlpReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task Traces_FromTheOtlpExporter_DecodeIdsNamesKindsAttributesStatusAndHeaders()
    {
        // A span left current on this flow by the runner would become the parent (and, unsampled, drop ours).
        Activity.Current = null;
        using var source = new ActivitySource(_name);
        using var provider = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService("receiver-test"))
            .AddSource(_name)
            .AddOtlpExporter(o =>
            {
                o.Protocol = OtlpExportProtocol.HttpProtobuf;
                o.Endpoint = new Uri(_receiver.Root, "/prefix/v1/traces");
                o.Headers = "x-test=one,Authorization=Basic cGs6c2s=";
            })
            .Build();

        string traceId, parentId, childId;
        using (var parent = source.StartActivity("parent", ActivityKind.Server)!)
        {
            parent.SetTag("text", "value");
            parent.SetTag("number", 42);
            parent.SetTag("fraction", 0.5);
            parent.SetTag("flag", true);
            parent.SetTag("list", new[] { "a", "b" });
            using (var child = source.StartActivity("child", ActivityKind.Client)!)
            {
                child.SetStatus(ActivityStatusCode.Error);
                childId = child.SpanId.ToHexString();
            }

            parent.SetStatus(ActivityStatusCode.Ok);
            (traceId, parentId) = (parent.TraceId.ToHexString(), parent.SpanId.ToHexString());
        }

        Assert.True(provider.ForceFlush(10_000));

        // ForceFlush can return once the batch is taken, before its POST is answered: wait for the export itself.
        var export = await _receiver.WaitForAsync(e => e.Spans.Count > 0).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Single(_receiver.Exports);
        Assert.Equal("/prefix/v1/traces", export.Path);
        Assert.Equal(("one", "Basic cGs6c2s="), (export.Headers["x-test"], export.Headers["Authorization"]));
        var spans = export.Spans.ToDictionary(s => s.Name);
        var (p, c) = (spans["parent"], spans["child"]);
        Assert.Equal((traceId, parentId, "", FakeOtlpSpan.KindServer, FakeOtlpSpan.StatusOk, _name), (p.TraceId, p.SpanId, p.ParentSpanId, p.Kind, p.StatusCode, p.Scope));
        Assert.Equal((traceId, childId, parentId, FakeOtlpSpan.KindClient, FakeOtlpSpan.StatusError), (c.TraceId, c.SpanId, c.ParentSpanId, c.Kind, c.StatusCode));
        Assert.Equal(("value", "42", "0.5", "true", "[a,b]"), (p.Attribute("text"), p.Attribute("number"), p.Attribute("fraction"), p.Attribute("flag"), p.Attribute("list")));
        Assert.Equal("receiver-test", p.ResourceAttribute("service.name"));
    }

    [Fact]
    public async Task Metrics_FromTheOtlpExporter_DecodeHistogramBoundsCountsSumAndCounters()
    {
        using var meter = new Meter(_name);
        var histogram = meter.CreateHistogram<double>("test.duration", "s", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 1, 10] });
        var counter = meter.CreateCounter<long>("test.count");
        using var provider = Sdk.CreateMeterProviderBuilder()
            .AddMeter(_name)
            .AddOtlpExporter((o, _) =>
            {
                o.Protocol = OtlpExportProtocol.HttpProtobuf;
                o.Endpoint = new Uri(_receiver.Root, "/v1/metrics");
            })
            .Build();

        histogram.Record(0.05, new KeyValuePair<string, object?>("kind", "a"));
        histogram.Record(5, new KeyValuePair<string, object?>("kind", "a"));
        histogram.Record(50, new KeyValuePair<string, object?>("kind", "b"));
        counter.Add(3);

        Assert.True(provider.ForceFlush(10_000));

        var export = await _receiver.WaitForAsync(e => e.Points.Count > 0).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Single(_receiver.Exports);
        Assert.Equal("/v1/metrics", export.Path);
        var a = Assert.Single(export.Points, p => p.Metric == "test.duration" && p.Attribute("kind") == "a");
        Assert.Equal(("s", 2UL, 5.05, _name), (a.Unit, a.Count, a.Sum, a.Scope));
        Assert.Equal([0.1, 1, 10], a.Bounds);
        Assert.Equal([1UL, 0, 1, 0], a.BucketCounts);
        var b = Assert.Single(export.Points, p => p.Metric == "test.duration" && p.Attribute("kind") == "b");
        Assert.Equal([0UL, 0, 0, 1], b.BucketCounts);
        Assert.Equal(3, Assert.Single(export.Points, p => p.Metric == "test.count").Value);
    }

    [Fact]
    public async Task Post_OtherPathOrNotProtobuf_IsRefusedAndNotRecorded()
    {
        using var http = new HttpClient();
        var wrongPath = await http.PostAsync(new Uri(_receiver.Root, "/v1/logs"), new ByteArrayContent([]) { Headers = { { "Content-Type", "application/x-protobuf" } } });
        var json = await http.PostAsync(new Uri(_receiver.Root, "/v1/traces"), new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal((404, 415), ((int)wrongPath.StatusCode, (int)json.StatusCode));
        Assert.Empty(_receiver.Exports);
    }
}
