using BenchmarkDotNet.Attributes;
using LlmGate.Keys;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlmGate.Bench.Micro;

/// <summary>
/// The spend writer's batch into the embedded SQLite store (<c>SqliteKeyStore.ApplySpendAsync</c>): one spend-log row
/// per call, as every gateway without <c>disable_spend_logs</c> writes them, in batches the size of half a second at
/// 2,000 calls a second. Divide by <see cref="Rows"/> for the cost of one call's row.
/// </summary>
[MemoryDiagnoser]
public class SpendLogWriteBenchmarks
{
    private string _folder = null!;
    private SqliteKeyStore _store = null!;
    private DateTimeOffset _start;

    [Params(1000)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _folder = Path.Combine(Path.GetTempPath(), "llmgate-bench-spend-" + Guid.NewGuid().ToString("N"));
        _store = new SqliteKeyStore(SqliteKeyStore.PathIn(_folder), TimeProvider.System, NullLogger<SqliteKeyStore>.Instance);
        _store.MigrateAsync(CancellationToken.None).GetAwaiter().GetResult();
        _start = TimeProvider.System.GetUtcNow();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_folder, recursive: true);
    }

    [Benchmark]
    public Task ApplyBatch()
    {
        var logs = new SpendLogRow[Rows];
        for (var i = 0; i < logs.Length; i++)
        {
            _start = _start.AddTicks(500);
            logs[i] = new SpendLogRow
            {
                RequestId = Guid.CreateVersion7(_start).ToString(),
                CallType = "acompletion",
                Spend = 0.0000325,
                PromptTokens = 10,
                CompletionTokens = 20,
                TotalTokens = 30,
                StartTime = _start,
                EndTime = _start.AddMilliseconds(3),
                Model = "bench-model",
                ModelId = "bench-deployment-1",
                ModelGroup = "bench-model",
                Provider = "openai",
                Status = "success",
            };
        }

        return _store.ApplySpendAsync(new SpendBatch(Guid.NewGuid(), [], [], logs), CancellationToken.None);
    }
}
