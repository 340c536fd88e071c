namespace LlmGate.Bench.Targets;

/// <summary>What the probe inside a target answers: its runtime's own figures at one moment.</summary>
internal sealed record RuntimeSample(
    long AllocatedBytes,
    long HeapSizeBytes,
    long GcCommittedBytes,
    long TotalMemoryBytes,
    int Gen0,
    int Gen1,
    int Gen2,
    int ThreadPoolThreads,
    int Threads,
    int OpenFds,
    long JitMethods);
