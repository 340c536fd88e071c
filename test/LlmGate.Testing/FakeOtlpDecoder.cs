using Google.Protobuf;

namespace LlmGate.Testing;

/// <summary>
/// Reads OTLP protobuf bodies (<c>ExportTraceServiceRequest</c>, <c>ExportMetricsServiceRequest</c>) field by field
/// with <see cref="CodedInputStream"/>: only what tests assert on, unknown fields skipped. Field numbers are
/// opentelemetry-proto's (<c>trace/v1/trace.proto</c>, <c>metrics/v1/metrics.proto</c>, <c>common/v1/common.proto</c>).
/// </summary>
internal static class FakeOtlpDecoder
{
    public static List<FakeOtlpSpan> Traces(byte[] body)
    {
        var spans = new List<FakeOtlpSpan>();
        ForEach(body, (field, input) =>
        {
            if (field == 1)
            {
                ResourceSpans(input.ReadBytes(), spans);
                return true;
            }

            return false;
        });
        return spans;
    }

    public static List<FakeOtlpDataPoint> Metrics(byte[] body)
    {
        var points = new List<FakeOtlpDataPoint>();
        ForEach(body, (field, input) =>
        {
            if (field == 1)
            {
                ResourceMetrics(input.ReadBytes(), points);
                return true;
            }

            return false;
        });
        return points;
    }

    // ResourceSpans: resource = 1, scope_spans = 2.
    private static void ResourceSpans(ByteString message, List<FakeOtlpSpan> spans)
    {
        IReadOnlyDictionary<string, object?> resource = new Dictionary<string, object?>();
        var scopes = new List<ByteString>();
        ForEach(message, (field, input) => field switch
        {
            1 => Set(out resource, Resource(input.ReadBytes())),
            2 => Add(scopes, input.ReadBytes()),
            _ => false,
        });
        foreach (var scope in scopes)
        {
            // ScopeSpans: scope = 1, spans = 2.
            var scopeName = "";
            var spanMessages = new List<ByteString>();
            ForEach(scope, (field, input) => field switch
            {
                1 => Set(out scopeName, ScopeName(input.ReadBytes())),
                2 => Add(spanMessages, input.ReadBytes()),
                _ => false,
            });
            spans.AddRange(spanMessages.Select(s => Span(s, scopeName, resource)));
        }
    }

    // Span: trace_id = 1, span_id = 2, parent_span_id = 4, name = 5, kind = 6, attributes = 9, status = 15 (code = 3).
    private static FakeOtlpSpan Span(ByteString message, string scope, IReadOnlyDictionary<string, object?> resource)
    {
        string traceId = "", spanId = "", parentSpanId = "", name = "";
        int kind = 0, status = 0;
        var attributes = new Dictionary<string, object?>();
        ForEach(message, (field, input) =>
        {
            switch (field)
            {
                case 1: traceId = Hex(input.ReadBytes()); return true;
                case 2: spanId = Hex(input.ReadBytes()); return true;
                case 4: parentSpanId = Hex(input.ReadBytes()); return true;
                case 5: name = input.ReadString(); return true;
                case 6: kind = input.ReadEnum(); return true;
                case 9: KeyValue(input.ReadBytes(), attributes); return true;
                case 15:
                    ForEach(input.ReadBytes(), (statusField, statusInput) => statusField == 3 && Set(out status, statusInput.ReadEnum()));
                    return true;
                default: return false;
            }
        });
        return new FakeOtlpSpan(traceId, spanId, parentSpanId, name, kind, attributes, status, scope, resource);
    }

    // ResourceMetrics: resource = 1, scope_metrics = 2; ScopeMetrics: scope = 1, metrics = 2.
    private static void ResourceMetrics(ByteString message, List<FakeOtlpDataPoint> points)
    {
        var scopes = new List<ByteString>();
        ForEach(message, (field, input) => field == 2 && Add(scopes, input.ReadBytes()));
        foreach (var scope in scopes)
        {
            var scopeName = "";
            var metrics = new List<ByteString>();
            ForEach(scope, (field, input) => field switch
            {
                1 => Set(out scopeName, ScopeName(input.ReadBytes())),
                2 => Add(metrics, input.ReadBytes()),
                _ => false,
            });
            foreach (var metric in metrics)
            {
                Metric(metric, scopeName, points);
            }
        }
    }

    // Metric: name = 1, unit = 3, gauge = 5, sum = 7, histogram = 9; each holds data_points = 1.
    private static void Metric(ByteString message, string scope, List<FakeOtlpDataPoint> points)
    {
        string name = "", unit = "";
        var numberPoints = new List<ByteString>();
        var histogramPoints = new List<ByteString>();
        ForEach(message, (field, input) =>
        {
            switch (field)
            {
                case 1: name = input.ReadString(); return true;
                case 3: unit = input.ReadString(); return true;
                case 5 or 7:
                    ForEach(input.ReadBytes(), (dataField, data) => dataField == 1 && Add(numberPoints, data.ReadBytes()));
                    return true;
                case 9:
                    ForEach(input.ReadBytes(), (dataField, data) => dataField == 1 && Add(histogramPoints, data.ReadBytes()));
                    return true;
                default: return false;
            }
        });
        points.AddRange(numberPoints.Select(p => NumberPoint(p, name, unit, scope)));
        points.AddRange(histogramPoints.Select(p => HistogramPoint(p, name, unit, scope)));
    }

    // NumberDataPoint: as_double = 4, as_int = 6 (sfixed64), attributes = 7.
    private static FakeOtlpDataPoint NumberPoint(ByteString message, string name, string unit, string scope)
    {
        double value = 0;
        var attributes = new Dictionary<string, object?>();
        ForEach(message, (field, input) => field switch
        {
            4 => Set(out value, input.ReadDouble()),
            6 => Set(out value, input.ReadSFixed64()),
            7 => KeyValue(input.ReadBytes(), attributes),
            _ => false,
        });
        return new FakeOtlpDataPoint(name, unit, attributes, 1, value, [], [], value, scope);
    }

    // HistogramDataPoint: count = 4 (fixed64), sum = 5, bucket_counts = 6 (fixed64), explicit_bounds = 7, attributes = 9.
    private static FakeOtlpDataPoint HistogramPoint(ByteString message, string name, string unit, string scope)
    {
        ulong count = 0;
        double sum = 0;
        var bounds = new List<double>();
        var buckets = new List<ulong>();
        var attributes = new Dictionary<string, object?>();
        var input = new CodedInputStream(message.ToByteArray());
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 4: count = input.ReadFixed64(); break;
                case 5: sum = input.ReadDouble(); break;
                case 6: Repeated(input, tag, buckets, i => i.ReadFixed64()); break;
                case 7: Repeated(input, tag, bounds, i => i.ReadDouble()); break;
                case 9: KeyValue(input.ReadBytes(), attributes); break;
                default: input.SkipLastField(); break;
            }
        }

        return new FakeOtlpDataPoint(name, unit, attributes, count, sum, bounds, buckets, null, scope);
    }

    // Resource: attributes = 1.
    private static Dictionary<string, object?> Resource(ByteString message)
    {
        var attributes = new Dictionary<string, object?>();
        ForEach(message, (field, input) => field == 1 && KeyValue(input.ReadBytes(), attributes));
        return attributes;
    }

    // InstrumentationScope: name = 1.
    private static string ScopeName(ByteString message)
    {
        var name = "";
        ForEach(message, (field, input) => field == 1 && Set(out name, input.ReadString()));
        return name;
    }

    // KeyValue: key = 1, value = 2.
    private static bool KeyValue(ByteString message, Dictionary<string, object?> into)
    {
        var key = "";
        object? value = null;
        ForEach(message, (field, input) => field switch
        {
            1 => Set(out key, input.ReadString()),
            2 => Set(out value, AnyValue(input.ReadBytes())),
            _ => false,
        });
        into[key] = value;
        return true;
    }

    // AnyValue: string = 1, bool = 2, int = 3, double = 4, array = 5 (values = 1), kvlist = 6 (values = 1), bytes = 7.
    private static object? AnyValue(ByteString message)
    {
        object? value = null;
        ForEach(message, (field, input) =>
        {
            switch (field)
            {
                case 1: value = input.ReadString(); return true;
                case 2: value = input.ReadBool(); return true;
                case 3: value = input.ReadInt64(); return true;
                case 4: value = input.ReadDouble(); return true;
                case 5:
                    var items = new List<object?>();
                    ForEach(input.ReadBytes(), (itemField, item) => itemField == 1 && Add(items, AnyValue(item.ReadBytes())));
                    value = items;
                    return true;
                case 6:
                    var entries = new Dictionary<string, object?>();
                    ForEach(input.ReadBytes(), (entryField, entry) => entryField == 1 && KeyValue(entry.ReadBytes(), entries));
                    value = entries;
                    return true;
                case 7: value = input.ReadBytes().ToByteArray(); return true;
                default: return false;
            }
        });
        return value;
    }

    // A repeated scalar, packed (one length-delimited run, as proto3 writes it) or not.
    private static void Repeated<T>(CodedInputStream input, uint tag, List<T> into, Func<CodedInputStream, T> read)
    {
        if (WireFormat.GetTagWireType(tag) != WireFormat.WireType.LengthDelimited)
        {
            into.Add(read(input));
            return;
        }

        var packed = new CodedInputStream(input.ReadBytes().ToByteArray());
        while (!packed.IsAtEnd)
        {
            into.Add(read(packed));
        }
    }

    // Calls read for each field; a field it does not take (false) is skipped.
    private static void ForEach(ByteString message, Func<int, CodedInputStream, bool> read) => ForEach(message.ToByteArray(), read);

    private static void ForEach(byte[] message, Func<int, CodedInputStream, bool> read)
    {
        var input = new CodedInputStream(message);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (!read(WireFormat.GetTagFieldNumber(tag), input))
            {
                input.SkipLastField();
            }
        }
    }

    private static string Hex(ByteString bytes) => Convert.ToHexStringLower(bytes.Span);

    private static bool Set<T>(out T target, T value)
    {
        target = value;
        return true;
    }

    private static bool Add<T>(List<T> list, T item)
    {
        list.Add(item);
        return true;
    }
}
