using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace LlmGate.Testing;

/// <summary>
/// A <c>generateContent</c> request checked as Google checks it, field names in either spelling: only known top-level
/// fields (<c>model</c> belongs in the URL), valid <see cref="GeminiContentsCheck">contents</see>, function declarations
/// with valid names and <see cref="GeminiSchemaCheck">schemas</see>, and known generation, tool and safety settings.
/// </summary>
internal static partial class GeminiRequestCheck
{
    private static readonly HashSet<string> Fields =
        ["contents", "systemInstruction", "tools", "toolConfig", "generationConfig", "safetySettings", "cachedContent", "labels"];

    private static readonly HashSet<string> ToolFields =
    [
        "functionDeclarations", "googleSearch", "googleSearchRetrieval", "codeExecution", "urlContext", "retrieval",
        "enterpriseWebSearch", "googleMaps", "computerUse", "fileSearch",
    ];

    private static readonly HashSet<string> FunctionFields =
        ["name", "description", "parameters", "parametersJsonSchema", "response", "responseJsonSchema", "behavior"];

    private static readonly HashSet<string> ToolConfigFields = ["functionCallingConfig", "retrievalConfig"];

    private static readonly HashSet<string> FunctionCallingFields = ["mode", "allowedFunctionNames"];

    private static readonly HashSet<string> GenerationFields =
    [
        "temperature", "topP", "topK", "candidateCount", "maxOutputTokens", "stopSequences", "responseMimeType",
        "responseSchema", "responseJsonSchema", "presencePenalty", "frequencyPenalty", "seed", "responseLogprobs", "logprobs",
        "thinkingConfig", "responseModalities", "mediaResolution", "speechConfig", "imageConfig",
    ];

    private static readonly HashSet<string> ThinkingFields = ["thinkingBudget", "includeThoughts", "thinkingLevel"];

    private static readonly HashSet<string> MimeTypes = ["text/plain", "application/json", "application/xml", "application/yaml", "text/x.enum"];

    private static readonly HashSet<string> SafetyFields = ["category", "threshold", "method"];

    private static readonly HashSet<string> HarmCategories =
    [
        "HARM_CATEGORY_UNSPECIFIED", "HARM_CATEGORY_HARASSMENT", "HARM_CATEGORY_HATE_SPEECH", "HARM_CATEGORY_SEXUALLY_EXPLICIT",
        "HARM_CATEGORY_DANGEROUS_CONTENT", "HARM_CATEGORY_CIVIC_INTEGRITY",
    ];

    private static readonly HashSet<string> Thresholds =
    [
        "HARM_BLOCK_THRESHOLD_UNSPECIFIED", "BLOCK_LOW_AND_ABOVE", "BLOCK_MEDIUM_AND_ABOVE", "BLOCK_ONLY_HIGH", "BLOCK_NONE", "OFF",
    ];

    /// <summary>What is wrong with the request, in Google's words where it has them; null when Google would take it.</summary>
    public static string? Check(JsonObject request) =>
        GoogleJson.UnknownField(request, Fields, "")
        ?? GeminiContentsCheck.CheckContents(request)
        ?? GeminiContentsCheck.CheckSystemInstruction(request)
        ?? CheckTools(request)
        ?? CheckToolConfig(request)
        ?? CheckGenerationConfig(request)
        ?? CheckSafetySettings(request)
        ?? CheckStrings(request);

    private static string? CheckTools(JsonObject request)
    {
        if (GoogleJson.Get(request, "tools") is not { } node)
        {
            return null;
        }

        if (node is not JsonArray tools)
        {
            return GoogleJson.InvalidValue("tools", "type.googleapis.com/google.ai.generativelanguage.v1beta.Tool", node);
        }

        for (var i = 0; i < tools.Count; i++)
        {
            var path = $"tools[{i}]";
            if ((GoogleJson.Message(tools[i], ToolFields, path, "Tool", out var tool) ?? CheckFunctions(tool, path)) is { } invalid)
            {
                return invalid;
            }
        }

        return null;
    }

    private static string? CheckFunctions(JsonObject tool, string path)
    {
        var node = GoogleJson.Get(tool, "functionDeclarations");
        if (node is null)
        {
            return null;
        }

        path += ".function_declarations";
        if (node is not JsonArray functions)
        {
            return GoogleJson.InvalidValue(path, "type.googleapis.com/google.ai.generativelanguage.v1beta.FunctionDeclaration", node);
        }

        for (var j = 0; j < functions.Count; j++)
        {
            var at = $"{path}[{j}]";
            if (GoogleJson.Message(functions[j], FunctionFields, at, "FunctionDeclaration", out var function) is { } invalidFunction)
            {
                return invalidFunction;
            }

            if (GoogleJson.StringOf(function["name"]) is not { } name || !FunctionName().IsMatch(name))
            {
                return $"* GenerateContentRequest.{at}.name: Invalid function name. Must start with a letter or an underscore. "
                    + "Must be a-z, A-Z, 0-9, or contain underscores, dots, colons and dashes, with a maximum length of 64.";
            }

            if (function["parameters"] is { } parameters && GeminiSchemaCheck.Check(parameters, at + ".parameters") is { } invalid)
            {
                return invalid;
            }
        }

        return null;
    }

    private static string? CheckToolConfig(JsonObject request)
    {
        if (GoogleJson.Get(request, "toolConfig") is not { } node)
        {
            return null;
        }

        if (GoogleJson.Message(node, ToolConfigFields, "tool_config", "ToolConfig", out var config) is { } invalid)
        {
            return invalid;
        }

        if (GoogleJson.Get(config, "functionCallingConfig") is not { } callingNode)
        {
            return null;
        }

        const string path = "tool_config.function_calling_config";
        if (GoogleJson.Message(callingNode, FunctionCallingFields, path, "FunctionCallingConfig", out var calling) is { } invalidCalling)
        {
            return invalidCalling;
        }

        var mode = calling["mode"];
        if (mode is not null && GoogleJson.StringOf(mode) is not ("MODE_UNSPECIFIED" or "AUTO" or "ANY" or "NONE" or "VALIDATED"))
        {
            return GoogleJson.InvalidValue(path + ".mode", "type.googleapis.com/google.ai.generativelanguage.v1beta.FunctionCallingConfig.Mode", mode);
        }

        if (GoogleJson.Get(calling, "allowedFunctionNames") is { } names && GoogleJson.StringOf(mode) != "ANY")
        {
            return $"* GenerateContentRequest.{path}.allowed_function_names: allowed_function_names should only be set when the Function Calling Mode is ANY. (it is {names.ToJsonString()})";
        }

        return null;
    }

    private static string? CheckGenerationConfig(JsonObject request)
    {
        if (GoogleJson.Get(request, "generationConfig") is not { } node)
        {
            return null;
        }

        const string path = "generation_config";
        if (GoogleJson.Message(node, GenerationFields, path, "GenerationConfig", out var config) is { } invalidConfig)
        {
            return invalidConfig;
        }

        foreach (var (name, value) in config)
        {
            var camel = GoogleJson.Camel(name);
            var at = GoogleJson.Join(path, camel);
            var invalid = camel switch
            {
                "temperature" or "topP" or "topK" or "presencePenalty" or "frequencyPenalty" =>
                    GoogleJson.IsNumber(value) ? null : GoogleJson.InvalidValue(at, "TYPE_FLOAT", value),
                "candidateCount" or "maxOutputTokens" or "seed" or "logprobs" =>
                    GoogleJson.IsInteger(value) ? null : GoogleJson.InvalidValue(at, "TYPE_INT32", value),
                "responseLogprobs" => GoogleJson.IsBoolean(value) ? null : GoogleJson.InvalidValue(at, "TYPE_BOOL", value),
                "stopSequences" or "responseModalities" =>
                    value is JsonArray items && items.All(s => GoogleJson.StringOf(s) is not null) ? null : GoogleJson.InvalidValue(at, "TYPE_STRING", value),
                "responseMimeType" => MimeTypes.Contains(GoogleJson.StringOf(value) ?? "")
                    ? null
                    : $"* GenerateContentRequest.{at}: allowed mimetypes are `text/plain`, `application/json`, `application/xml`, `application/yaml` and `text/x.enum`.",
                "responseSchema" => GeminiSchemaCheck.Check(value, at),
                "thinkingConfig" => CheckThinking(value, at),
                _ => null,
            };
            if (invalid is not null)
            {
                return invalid;
            }
        }

        return CheckGenerationLimits(config, path);
    }

    private static string? CheckGenerationLimits(JsonObject config, string path)
    {
        if (GoogleJson.Get(config, "candidateCount") is { } count && count.GetValue<long>() is < 1 or > 8)
        {
            return $"* GenerateContentRequest.{path}.candidate_count: must be between 1 and 8, inclusive.";
        }

        if (GoogleJson.Get(config, "maxOutputTokens") is { } max && max.GetValue<long>() < 1)
        {
            return $"* GenerateContentRequest.{path}.max_output_tokens: max_output_tokens must be positive.";
        }

        if (GoogleJson.Get(config, "stopSequences") is JsonArray { Count: > 5 })
        {
            return $"* GenerateContentRequest.{path}.stop_sequences: at most 5 stop sequences are allowed.";
        }

        if (GoogleJson.Get(config, "responseSchema") is not null
            && GoogleJson.StringOf(GoogleJson.Get(config, "responseMimeType")) is not ("application/json" or "text/x.enum"))
        {
            return $"* GenerateContentRequest.{path}.response_schema: only allowed when response_mime_type is application/json or text/x.enum.";
        }

        return null;
    }

    private static string? CheckThinking(JsonNode? node, string path)
    {
        if (GoogleJson.Message(node, ThinkingFields, path, "ThinkingConfig", out var thinking) is { } invalid)
        {
            return invalid;
        }

        if (GoogleJson.Get(thinking, "thinkingBudget") is { } budget && !GoogleJson.IsInteger(budget))
        {
            return GoogleJson.InvalidValue(path + ".thinking_budget", "TYPE_INT32", budget);
        }

        return GoogleJson.Get(thinking, "includeThoughts") is { } include && !GoogleJson.IsBoolean(include)
            ? GoogleJson.InvalidValue(path + ".include_thoughts", "TYPE_BOOL", include)
            : null;
    }

    private static string? CheckSafetySettings(JsonObject request)
    {
        if (GoogleJson.Get(request, "safetySettings") is not { } node)
        {
            return null;
        }

        if (node is not JsonArray settings)
        {
            return GoogleJson.InvalidValue("safety_settings", "type.googleapis.com/google.ai.generativelanguage.v1beta.SafetySetting", node);
        }

        for (var i = 0; i < settings.Count; i++)
        {
            var path = $"safety_settings[{i}]";
            if (GoogleJson.Message(settings[i], SafetyFields, path, "SafetySetting", out var setting) is { } invalid)
            {
                return invalid;
            }

            if (!HarmCategories.Contains(GoogleJson.StringOf(setting["category"]) ?? ""))
            {
                return GoogleJson.InvalidValue(path + ".category", "type.googleapis.com/google.ai.generativelanguage.v1beta.HarmCategory", setting["category"]);
            }

            if (!Thresholds.Contains(GoogleJson.StringOf(setting["threshold"]) ?? ""))
            {
                return GoogleJson.InvalidValue(path + ".threshold", "type.googleapis.com/google.ai.generativelanguage.v1beta.SafetySetting.HarmBlockThreshold", setting["threshold"]);
            }
        }

        return null;
    }

    private static string? CheckStrings(JsonObject request)
    {
        if (GoogleJson.Get(request, "cachedContent") is { } cached && GoogleJson.StringOf(cached) is null)
        {
            return GoogleJson.InvalidValue("cached_content", "TYPE_STRING", cached);
        }

        return GoogleJson.Get(request, "labels") is { } labels && !(labels is JsonObject map && map.All(l => GoogleJson.StringOf(l.Value) is not null))
            ? GoogleJson.InvalidValue("labels", "map<string, string>", labels)
            : null;
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_.:-]{0,63}$")]
    private static partial Regex FunctionName();
}
