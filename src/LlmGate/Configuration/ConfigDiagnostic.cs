namespace LlmGate.Configuration;

/// <summary>A problem found in a config file, named by its YAML path (e.g. <c>model_list[2].litellm_params.api_key</c>) and line.</summary>
internal sealed record ConfigDiagnostic(ConfigSeverity Severity, string Path, int Line, string Message)
{
    // "error: model_list[0].model (line 3): ...", "error: line 5: ..." for the whole file at a line, "warning: ..." for the file.
    public override string ToString()
    {
        var where = (Path, Line) switch
        {
            ("", <= 0) => "",
            ("", _) => $"line {Line}: ",
            (_, <= 0) => $"{Path}: ",
            _ => $"{Path} (line {Line}): ",
        };
        return $"{(Severity == ConfigSeverity.Error ? "error" : "warning")}: {where}{Message}";
    }
}
