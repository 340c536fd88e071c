namespace LlmGate.OpenAi;

/// <summary>
/// The audio file of a transcription or translation, spooled to a temporary file as it arrived: the gateway's memory
/// stays flat whatever its size, and every attempt (a retry, a fallback) sends it again from its first byte. The file is
/// deleted when the upload is disposed, at the end of the call.
/// </summary>
internal sealed class AudioUpload(string path, string fieldName, string fileName, string? contentType, long length) : IDisposable
{
    private const int ReadBufferSize = 64 * 1024;

    /// <summary>The form field that carried the file (<c>file</c>).</summary>
    public string FieldName { get; } = fieldName;

    /// <summary>The file name the client gave; providers tell the audio format by its extension.</summary>
    public string FileName { get; } = fileName;

    /// <summary>The part's own <c>Content-Type</c>, when the client sent one.</summary>
    public string? ContentType { get; } = contentType;

    public long Length { get; } = length;

    /// <summary>A new reader from the first byte, for one attempt; the caller disposes it.</summary>
    public Stream OpenRead() =>
        new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, ReadBufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);

    public void Dispose() => Delete(path);

    /// <summary>Deletes a spooled file, also one whose upload was never made (its spooling failed).</summary>
    public static void Delete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Gone already, or the temporary folder went read-only: nothing the call can do about it.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
