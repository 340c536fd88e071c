using System.Buffers;
using System.Buffers.Binary;
using System.Text.Json;
using LlmGate.OpenAi;

namespace LlmGate.Health;

/// <summary>What a health check sends: LiteLLM's tiny request for the deployment's <c>model_info.mode</c>.</summary>
internal static class HealthProbe
{
    /// <summary>LiteLLM's <c>DEFAULT_HEALTH_CHECK_PROMPT</c>, also its embedding input.</summary>
    public const string Prompt = "test from litellm";

    /// <summary>LiteLLM's default <c>health_check_max_tokens</c>.</summary>
    public const int DefaultMaxTokens = 5;

    /// <summary>LiteLLM's <c>HEALTH_CHECK_TIMEOUT_SECONDS</c>.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The call a mode asks for; null for a mode whose call LlmGate does not serve (<c>batch</c>, <c>realtime</c>, ...).</summary>
    public static ProxyEndpointKind? KindOf(string? mode) =>
        string.IsNullOrEmpty(mode) || Is(mode, "chat") ? ProxyEndpointKind.ChatCompletions
        : Is(mode, "completion") ? ProxyEndpointKind.Completions
        : Is(mode, "embedding") || Is(mode, "embeddings") ? ProxyEndpointKind.Embeddings
        : Is(mode, "image_generation") ? ProxyEndpointKind.ImageGenerations
        : Is(mode, "audio_speech") ? ProxyEndpointKind.AudioSpeech
        : Is(mode, "audio_transcription") ? ProxyEndpointKind.AudioTranscriptions
        : Is(mode, "moderation") || Is(mode, "moderations") ? ProxyEndpointKind.Moderations
        : Is(mode, "rerank") ? ProxyEndpointKind.Rerank
        : Is(mode, "responses") ? ProxyEndpointKind.Responses
        : null;

    /// <summary>The top-level field the endpoint requires, as the proxy checks it.</summary>
    public static string RequiredInput(ProxyEndpointKind kind) => kind switch
    {
        ProxyEndpointKind.ChatCompletions => "messages",
        ProxyEndpointKind.Completions or ProxyEndpointKind.ImageGenerations => "prompt",
        ProxyEndpointKind.Rerank => "query",
        ProxyEndpointKind.AudioTranscriptions => "model",
        _ => "input",
    };

    /// <summary>
    /// The audio an <c>audio_transcription</c> check sends, as LiteLLM sends a short recording: half a second of silence
    /// as 16 kHz 16-bit mono WAV, a file every transcription API takes. Spooled like a client's upload; the caller
    /// disposes it (which deletes the file).
    /// </summary>
    public static async Task<AudioUpload> SpoolAudioAsync(string folder, CancellationToken cancellationToken)
    {
        var path = Path.Combine(folder, "llmgate-upload-health-" + Guid.NewGuid().ToString("N") + ".wav");
        await File.WriteAllBytesAsync(path, SilentWav, cancellationToken);
        return new AudioUpload(path, "file", "health-check.wav", "audio/wav", SilentWav.Length);
    }

    private static readonly byte[] SilentWav = Wav(sampleRate: 16_000, samples: 8_000);

    private static byte[] Wav(int sampleRate, int samples)
    {
        const short Channels = 1, BitsPerSample = 16;
        var data = samples * Channels * BitsPerSample / 8;
        var wav = new byte[44 + data];
        var header = wav.AsSpan();
        "RIFF"u8.CopyTo(header);
        BinaryPrimitives.WriteInt32LittleEndian(header[4..], 36 + data);
        "WAVEfmt "u8.CopyTo(header[8..]);
        BinaryPrimitives.WriteInt32LittleEndian(header[16..], 16); // PCM format chunk size
        BinaryPrimitives.WriteInt16LittleEndian(header[20..], 1); // PCM
        BinaryPrimitives.WriteInt16LittleEndian(header[22..], Channels);
        BinaryPrimitives.WriteInt32LittleEndian(header[24..], sampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(header[28..], sampleRate * Channels * BitsPerSample / 8);
        BinaryPrimitives.WriteInt16LittleEndian(header[32..], Channels * BitsPerSample / 8);
        BinaryPrimitives.WriteInt16LittleEndian(header[34..], BitsPerSample);
        "data"u8.CopyTo(header[36..]);
        BinaryPrimitives.WriteInt32LittleEndian(header[40..], data);
        return wav;
    }

    public static byte[] Body(ProxyEndpointKind kind, string model, int maxTokens)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer, GatewayJson.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("model", model);
            switch (kind)
            {
                case ProxyEndpointKind.ChatCompletions:
                    writer.WriteStartArray("messages");
                    writer.WriteStartObject();
                    writer.WriteString("role", "user");
                    writer.WriteString("content", Prompt);
                    writer.WriteEndObject();
                    writer.WriteEndArray();
                    writer.WriteNumber("max_tokens", maxTokens);
                    break;
                case ProxyEndpointKind.Completions:
                    writer.WriteString("prompt", Prompt);
                    writer.WriteNumber("max_tokens", maxTokens);
                    break;
                case ProxyEndpointKind.ImageGenerations:
                    // LiteLLM's image check: one image of the prompt, at the model's default size.
                    writer.WriteString("prompt", Prompt);
                    writer.WriteNumber("n", 1);
                    break;
                case ProxyEndpointKind.AudioSpeech:
                    writer.WriteString("input", Prompt);
                    writer.WriteString("voice", "alloy");
                    break;
                case ProxyEndpointKind.Moderations:
                    writer.WriteString("input", Prompt);
                    break;
                case ProxyEndpointKind.Rerank:
                    writer.WriteString("query", Prompt);
                    writer.WriteStartArray("documents");
                    writer.WriteStringValue(Prompt);
                    writer.WriteEndArray();
                    writer.WriteNumber("top_n", 1);
                    break;
                case ProxyEndpointKind.AudioTranscriptions:
                    // Its fields beyond the model are all optional; the audio goes as the upload.
                    break;
                case ProxyEndpointKind.Responses:
                    writer.WriteString("input", Prompt);
                    writer.WriteNumber("max_output_tokens", Math.Max(maxTokens, 16));
                    break;
                default:
                    writer.WriteStartArray("input");
                    writer.WriteStringValue(Prompt);
                    writer.WriteEndArray();
                    break;
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static bool Is(string mode, string name) => string.Equals(mode.Trim(), name, StringComparison.OrdinalIgnoreCase);
}
