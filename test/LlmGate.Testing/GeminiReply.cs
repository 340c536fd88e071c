using System.Text.Json.Nodes;

namespace LlmGate.Testing;

/// <summary>
/// What the fake Gemini answers a valid <c>generateContent</c> request, decided from the request alone and written in
/// Google's response format (whole, or as stream chunks): text derived from the last user turn; a function call of the
/// first declared function while tools are offered and no function response is in the last turn; text quoting the
/// function's response once it is; a JSON text when JSON is asked for; the MIME types of media it saw; a thought part
/// when thoughts are asked for.
/// </summary>
internal sealed class GeminiReply
{
    private readonly string _model;
    private readonly string _responseId;
    private readonly string? _createTime;
    private readonly int _candidates;
    private readonly string? _text;
    private readonly bool _json;
    private readonly JsonObject? _functionCall;
    private readonly string? _thought;
    private readonly int _promptTokens;
    private readonly int _thoughtsTokens;

    /// <param name="createTime">Vertex stamps each response with <c>createTime</c>; AI Studio does not (null).</param>
    public GeminiReply(JsonObject request, string model, string responseId, string? createTime)
    {
        _model = model;
        _responseId = responseId;
        _createTime = createTime;
        var config = GoogleJson.Get(request, "generationConfig") as JsonObject;
        _candidates = (int)(GoogleJson.Get(config, "candidateCount")?.GetValue<long>() ?? 1);
        var contents = GoogleJson.Get(request, "contents")!.AsArray();
        var lastUser = contents.LastOrDefault(c => c?["role"]?.GetValue<string>() == "user") as JsonObject;
        var said = string.Join(" ", GeminiContentsCheck.Texts(lastUser)).Trim();
        _promptTokens = Math.Max(1, contents.Append(GoogleJson.Get(request, "systemInstruction"))
            .Sum(c => GeminiContentsCheck.Texts(c as JsonObject).Sum(Words)));

        var thinking = GoogleJson.Get(config, "thinkingConfig") as JsonObject;
        if (thinking is not null && GoogleJson.Get(thinking, "thinkingBudget")?.GetValue<long>() != 0)
        {
            _thought = $"Thinking about what was said: {(said.Length == 0 ? "nothing" : said)}";
            _thoughtsTokens = Words(_thought);
            if (GoogleJson.Get(thinking, "includeThoughts")?.GetValue<bool>() != true)
            {
                _thought = null;
            }
        }

        var response = (lastUser?["parts"] as JsonArray ?? []).Select(p => GoogleJson.Get(p as JsonObject, "functionResponse")).OfType<JsonObject>().FirstOrDefault();
        if (response is not null)
        {
            _text = $"The function {GoogleJson.StringOf(response["name"])} returned {GoogleJson.Get(response, "response")!.ToJsonString()}.";
        }
        else if (FunctionToCall(request) is { } call)
        {
            _functionCall = call;
        }
        else
        {
            var media = Media(contents);
            _text = "Hello from fake Gemini!" + (media.Count > 0 ? $" I received {string.Join(", ", media)}." : "")
                + $" You said: {(said.Length == 0 ? "nothing" : said)}";
        }

        _json = GoogleJson.StringOf(GoogleJson.Get(config, "responseMimeType")) == "application/json";
    }

    /// <summary>The whole answer, as <c>generateContent</c> returns it.</summary>
    public JsonObject Response()
    {
        var parts = new List<JsonObject>();
        if (_thought is not null)
        {
            parts.Add(new JsonObject { ["text"] = _thought, ["thought"] = true });
        }

        var candidates = Enumerable.Range(0, _candidates).Select(i => Candidate(i, [.. parts.Select(p => p.DeepClone().AsObject()), .. Content(i, null)], "STOP"));
        return Envelope(new JsonArray([.. candidates]), Usage(final: true));
    }

    /// <summary>The answer as <c>streamGenerateContent</c> sends it: a thought chunk first, the text cut in <paramref name="pieces"/> chunks, finish reason and full usage on the last.</summary>
    public List<JsonObject> Chunks(int pieces)
    {
        var chunks = new List<JsonObject>();
        if (_thought is not null)
        {
            chunks.Add(Envelope(new JsonArray([.. Enumerable.Range(0, _candidates).Select(i => Candidate(i, [new JsonObject { ["text"] = _thought, ["thought"] = true }], null))]), Usage(final: false)));
        }

        var count = _functionCall is null ? Math.Max(1, pieces) : 1;
        for (var k = 0; k < count; k++)
        {
            var last = k == count - 1;
            var piece = k;
            chunks.Add(Envelope(
                new JsonArray([.. Enumerable.Range(0, _candidates).Select(i => Candidate(i, Content(i, (piece, count)), last ? "STOP" : null))]),
                Usage(final: last)));
        }

        return chunks;
    }

    /// <summary>The prompt refused before any answer: <c>promptFeedback.blockReason</c> and no candidates.</summary>
    public JsonObject Blocked()
    {
        var envelope = Envelope(null, new JsonObject { ["promptTokenCount"] = _promptTokens, ["totalTokenCount"] = _promptTokens });
        envelope.Insert(0, "promptFeedback", new JsonObject { ["blockReason"] = "SAFETY", ["safetyRatings"] = SafetyRatings() });
        return envelope;
    }

    /// <summary>An answer stopped by the safety filter: <c>finishReason: SAFETY</c>, ratings, and no content.</summary>
    public JsonObject SafetyStopped() => Envelope(
        new JsonArray(new JsonObject { ["finishReason"] = "SAFETY", ["index"] = 0, ["safetyRatings"] = SafetyRatings() }),
        new JsonObject { ["promptTokenCount"] = _promptTokens, ["totalTokenCount"] = _promptTokens });

    private static int Words(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;

    // A call of the first declared function, unless the caller forbids calls; its args fill the required properties.
    private static JsonObject? FunctionToCall(JsonObject request)
    {
        var calling = GoogleJson.Get(GoogleJson.Get(request, "toolConfig") as JsonObject, "functionCallingConfig") as JsonObject;
        if (GoogleJson.StringOf(calling?["mode"]) == "NONE")
        {
            return null;
        }

        var function = (GoogleJson.Get(request, "tools") as JsonArray ?? [])
            .SelectMany(t => GoogleJson.Get(t as JsonObject, "functionDeclarations") as JsonArray ?? [])
            .OfType<JsonObject>().FirstOrDefault();
        if (function is null)
        {
            return null;
        }

        var args = new JsonObject();
        var schema = function["parameters"] as JsonObject;
        foreach (var name in (schema?["required"] as JsonArray ?? []).Select(GoogleJson.StringOf).OfType<string>())
        {
            args[name] = GoogleJson.StringOf(schema!["properties"]?[name]?["type"])?.ToUpperInvariant() switch
            {
                "INTEGER" or "NUMBER" => 1,
                "BOOLEAN" => true,
                "ARRAY" => new JsonArray(),
                "OBJECT" => new JsonObject(),
                _ => "Paris",
            };
        }

        return new JsonObject { ["name"] = GoogleJson.StringOf(function["name"]), ["args"] = args };
    }

    private static List<string> Media(JsonArray contents) =>
    [
        .. contents.SelectMany(c => c?["parts"] as JsonArray ?? [])
            .Select(p => GoogleJson.Get(p as JsonObject, "inlineData") ?? GoogleJson.Get(p as JsonObject, "fileData"))
            .Select(d => GoogleJson.StringOf(GoogleJson.Get(d as JsonObject, "mimeType"))).OfType<string>().Distinct(),
    ];

    private static JsonArray SafetyRatings() =>
    [
        new JsonObject { ["category"] = "HARM_CATEGORY_SEXUALLY_EXPLICIT", ["probability"] = "NEGLIGIBLE" },
        new JsonObject { ["category"] = "HARM_CATEGORY_HATE_SPEECH", ["probability"] = "NEGLIGIBLE" },
        new JsonObject { ["category"] = "HARM_CATEGORY_HARASSMENT", ["probability"] = "HIGH", ["blocked"] = true },
        new JsonObject { ["category"] = "HARM_CATEGORY_DANGEROUS_CONTENT", ["probability"] = "NEGLIGIBLE" },
    ];

    // Each candidate's text, as JSON when JSON is asked for.
    private string Text(int candidate)
    {
        var text = candidate == 0 ? _text! : $"{_text} [candidate {candidate}]";
        return _json ? new JsonObject { ["answer"] = text }.ToJsonString() : text;
    }

    // The answer parts of one candidate: all of it, or piece k of n of its text.
    private List<JsonObject> Content(int candidate, (int K, int N)? piece)
    {
        if (_functionCall is not null)
        {
            return [new JsonObject { ["functionCall"] = _functionCall.DeepClone() }];
        }

        var text = Text(candidate);
        if (piece is { } p)
        {
            text = text[Cut(text, p.K, p.N)..Cut(text, p.K + 1, p.N)];
        }

        return [new JsonObject { ["text"] = text }];
    }

    // Where piece k of n of a text starts, never inside a surrogate pair.
    private static int Cut(string text, int k, int n)
    {
        var at = text.Length * k / n;
        return at < text.Length && char.IsLowSurrogate(text[at]) ? at + 1 : at;
    }

    private static JsonObject Candidate(int index, List<JsonObject> parts, string? finishReason)
    {
        var candidate = new JsonObject { ["content"] = new JsonObject { ["parts"] = new JsonArray([.. parts]), ["role"] = "model" } };
        if (finishReason is not null)
        {
            candidate["finishReason"] = finishReason;
        }

        candidate["index"] = index;
        return candidate;
    }

    private JsonObject Usage(bool final)
    {
        var candidates = _functionCall is not null ? 5 * _candidates : Enumerable.Range(0, _candidates).Sum(i => Words(Text(i)));
        var usage = new JsonObject { ["promptTokenCount"] = _promptTokens };
        if (final)
        {
            usage["candidatesTokenCount"] = candidates;
        }

        usage["totalTokenCount"] = _promptTokens + (final ? candidates : 0) + _thoughtsTokens;
        usage["promptTokensDetails"] = new JsonArray(new JsonObject { ["modality"] = "TEXT", ["tokenCount"] = _promptTokens });
        if (_thoughtsTokens > 0)
        {
            usage["thoughtsTokenCount"] = _thoughtsTokens;
        }

        if (_createTime is not null)
        {
            usage["trafficType"] = "ON_DEMAND";
        }

        return usage;
    }

    private JsonObject Envelope(JsonArray? candidates, JsonObject usage)
    {
        var envelope = new JsonObject();
        if (candidates is not null)
        {
            envelope["candidates"] = candidates;
        }

        envelope["usageMetadata"] = usage;
        envelope["modelVersion"] = _model;
        if (_createTime is not null)
        {
            envelope["createTime"] = _createTime;
        }

        envelope["responseId"] = _responseId;
        return envelope;
    }
}
