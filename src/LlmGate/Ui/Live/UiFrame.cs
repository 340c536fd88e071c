namespace LlmGate.Ui.Live;

/// <summary>A built snapshot with its JSON and its server-sent event, made once and shared by every viewer.</summary>
internal sealed class UiFrame(UiSnapshot snapshot, byte[] json, byte[] sseEvent)
{
    public UiSnapshot Snapshot { get; } = snapshot;

    public byte[] Json { get; } = json;

    public byte[] Event { get; } = sseEvent;
}
