using System.Net.Http.Headers;
using System.Text.Json;
using LlmGate.OpenAi;

namespace LlmGate.Providers;

/// <summary>
/// A transcription or translation as an OpenAI-shaped server receives it: the form's text fields (from the call's JSON
/// body, so <c>model</c> is already the upstream's and deployment defaults are in) then the audio file, read from its
/// spooled copy as the request is sent. Its length is known, so it goes with a <c>Content-Length</c>, never chunked.
/// </summary>
internal static class UploadContent
{
    public static MultipartFormDataContent Create(ReadOnlyMemory<byte> fields, AudioUpload upload)
    {
        ArgumentNullException.ThrowIfNull(upload);
        var content = new MultipartFormDataContent();
        using (var document = JsonDocument.Parse(fields))
        {
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Value.ValueKind == JsonValueKind.Array)
                {
                    foreach (var item in property.Value.EnumerateArray())
                    {
                        AddField(content, property.Name, item);
                    }
                }
                else if (property.Value.ValueKind != JsonValueKind.Null)
                {
                    AddField(content, property.Name, property.Value);
                }
            }
        }

        var file = new StreamContent(upload.OpenRead());
        file.Headers.ContentType = MediaTypeHeaderValue.TryParse(upload.ContentType, out var type) ? type : new MediaTypeHeaderValue("application/octet-stream");
        content.Add(file, upload.FieldName, upload.FileName);
        return content;
    }

    private static void AddField(MultipartFormDataContent content, string name, JsonElement value)
    {
        // A form field is text: strings as they are, numbers and booleans as JSON writes them (a deployment's default
        // temperature: 0.2 becomes "0.2"). No per-part Content-Type, as browsers and OpenAI's SDKs send them.
        var part = new StringContent(value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText());
        part.Headers.ContentType = null;
        content.Add(part, name);
    }
}
