using System.Buffers;
using System.Text;
using System.Text.Json;
using LlmGate.OpenAi;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace LlmGate.Proxy;

/// <summary>
/// A transcription or translation request as it arrives: <c>multipart/form-data</c> with a <c>file</c> part and text fields.
/// The file is copied to a temporary file piece by piece (never held in memory); the text fields become a small JSON object
/// (<see cref="Fields"/>), so routing, key checks, deployment defaults and <c>model</c> rewriting treat them as any
/// other body. Refusals are thrown as <see cref="BadHttpRequestException"/> with the client's status and a clear message.
/// </summary>
internal sealed class AudioUploadForm : IDisposable
{
    /// <summary>A text field longer than this is refused: OpenAI's longest (<c>prompt</c>) is a few hundred tokens.</summary>
    public const int MaxFieldBytes = 256 * 1024;

    private const string FileField = "file";
    private const int CopyBufferSize = 64 * 1024;

    private AudioUploadForm(byte[] fields, AudioUpload upload)
    {
        Fields = fields;
        Upload = upload;
    }

    /// <summary>The text fields as a JSON object, in the order sent; <c>stream</c> as a boolean, a repeated field (<c>timestamp_granularities[]</c>) as an array.</summary>
    public byte[] Fields { get; }

    public AudioUpload Upload { get; }

    /// <summary>True for <c>multipart/form-data</c> with a boundary.</summary>
    public static bool IsMultipart(string? contentType, out string boundary)
    {
        boundary = "";
        if (!MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
            || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        boundary = HeaderUtilities.RemoveQuotes(mediaType.Boundary).ToString();
        return boundary.Length is > 0 and <= 70;
    }

    /// <param name="limit">The most bytes of fields and file together (<c>general_settings.max_request_size_mb</c>).</param>
    public static async Task<AudioUploadForm> ReadAsync(HttpRequest request, string boundary, long limit, string tempFolder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var reader = new MultipartReader(boundary, request.Body);
        var fields = new List<KeyValuePair<string, List<string>>>();
        AudioUpload? upload = null;
        long total = 0;
        try
        {
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
                {
                    throw Refused("Every part of the multipart body needs a 'Content-Disposition: form-data; name=...' header.");
                }

                var name = HeaderUtilities.RemoveQuotes(disposition.Name).ToString();
                if (disposition.IsFileDisposition())
                {
                    if (name != FileField || upload is not null)
                    {
                        throw Refused(upload is null
                            ? $"Unexpected file field '{Cut(name)}': the audio goes in the field 'file'."
                            : "Send one audio file per request, in the field 'file'.");
                    }

                    var fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).ToString();
                    upload = await SpoolAsync(section.Body, name, fileName, section.ContentType, tempFolder, limit, total, cancellationToken);
                    total += upload.Length;
                }
                else
                {
                    var (value, bytes) = await ReadFieldAsync(section.Body, name, cancellationToken);
                    total += bytes;
                    if (total > limit)
                    {
                        throw TooLarge(limit);
                    }

                    Add(fields, name, value);
                }
            }

            if (upload is null)
            {
                throw Refused("Missing required parameter: 'file' (the audio, as a file part of the multipart body).");
            }

            var form = new AudioUploadForm(ToJson(fields), upload);
            upload = null;
            return form;
        }
        catch (InvalidDataException exception)
        {
            // MultipartReader's word for a part that breaks its rules (a header too long, too many headers).
            throw Refused($"The multipart body could not be read: {exception.Message}");
        }
        catch (IOException exception) when (exception is not BadHttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            // The body ended before its closing boundary (Kestrel's own refusals, a client gone, are not this).
            throw Refused($"The multipart body could not be read: it ended before its closing boundary '--{boundary}--'.");
        }
        finally
        {
            upload?.Dispose();
        }
    }

    private static BadHttpRequestException TooLarge(long limit) => new(ProxyHandler.TooLargeMessage(limit), StatusCodes.Status413PayloadTooLarge);

    public void Dispose() => Upload.Dispose();

    private static async Task<AudioUpload> SpoolAsync(
        Stream body, string name, string fileName, string? contentType, string tempFolder, long limit, long used, CancellationToken cancellationToken)
    {
        var path = Path.Combine(tempFolder, "llmgate-upload-" + Guid.NewGuid().ToString("N"));
        long length = 0;
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        try
        {
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read | FileShare.Delete, 0, FileOptions.Asynchronous))
            {
                int read;
                while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    length += read;
                    if (used + length > limit)
                    {
                        throw TooLarge(limit);
                    }

                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }

            return new AudioUpload(path, name, fileName.Length == 0 ? "audio" : fileName, contentType, length);
        }
        catch
        {
            // What was written so far: the upload that would delete it is never made.
            AudioUpload.Delete(path);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task<(string Value, int Bytes)> ReadFieldAsync(Stream body, string name, CancellationToken cancellationToken)
    {
        var (buffer, length) = await ProxyHandler.ReadBodyAsync(body, declaredLength: null, MaxFieldBytes, cancellationToken);
        try
        {
            return length > MaxFieldBytes
                ? throw Refused($"The form field '{Cut(name)}' is longer than {MaxFieldBytes / 1024} KB.")
                : (Encoding.UTF8.GetString(buffer, 0, length), length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void Add(List<KeyValuePair<string, List<string>>> fields, string name, string value)
    {
        foreach (var field in fields)
        {
            if (field.Key == name)
            {
                field.Value.Add(value);
                return;
            }
        }

        fields.Add(new(name, [value]));
    }

    private static byte[] ToJson(List<KeyValuePair<string, List<string>>> fields)
    {
        var output = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(output, GatewayJson.WriterOptions))
        {
            writer.WriteStartObject();
            foreach (var (name, values) in fields)
            {
                writer.WritePropertyName(name);
                if (values.Count > 1)
                {
                    writer.WriteStartArray();
                    values.ForEach(writer.WriteStringValue);
                    writer.WriteEndArray();
                }
                else if (name == "stream" && bool.TryParse(values[0], out var stream))
                {
                    // The gateway reads `stream` as JSON's boolean, as it does on every other endpoint.
                    writer.WriteBooleanValue(stream);
                }
                else
                {
                    writer.WriteStringValue(values[0]);
                }
            }

            writer.WriteEndObject();
        }

        return output.WrittenSpan.ToArray();
    }

    private static BadHttpRequestException Refused(string message) => new(message, StatusCodes.Status400BadRequest);

    private static string Cut(string text) => text.Length <= 100 ? text : text[..100] + "…";
}
