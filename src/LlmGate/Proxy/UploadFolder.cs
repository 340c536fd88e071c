namespace LlmGate.Proxy;

/// <summary>
/// Where a transcription's audio is spooled while its call runs (<see cref="AudioUploadForm"/>): the system's temporary
/// folder, so <c>TMPDIR</c> moves it (a container with a small <c>/tmp</c> points it at a volume). Each file is deleted
/// when its call ends.
/// </summary>
internal sealed record UploadFolder(string Path)
{
    public static UploadFolder Default { get; } = new(System.IO.Path.GetTempPath());
}
