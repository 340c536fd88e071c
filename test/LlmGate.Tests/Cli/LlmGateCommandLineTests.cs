using System.CommandLine;
using System.Globalization;
using LlmGate.Cli;

namespace LlmGate.Tests.Cli;

public sealed class LlmGateCommandLineTests
{
    private const string Config = "model_list:\n  - model_name: a\n    litellm_params: {model: openai/a, mock_response: hi}\n";
    private static readonly string Base = Path.Combine(Path.GetTempPath(), "llmgate-base", "here");

    [Fact]
    public void Parse_RelativeConfigAndDataDir_ResolvedAgainstTheBaseDirectory()
    {
        var result = LlmGateCommandLine.Build(Base).Parse(["--config", "examples/config.yaml", "--data-dir", "state"]);

        Assert.Empty(result.Errors);
        Assert.Equal(Path.Combine(Base, "examples", "config.yaml"), result.GetRequiredValue<CommandLinePath>("--config").FullPath);
        Assert.Equal(Path.Combine(Base, "state"), result.GetRequiredValue<CommandLinePath>("--data-dir").FullPath);
    }

    [Fact]
    public void Parse_NoDataDir_DefaultsToDataInTheBaseDirectory()
    {
        var result = LlmGateCommandLine.Build(Base).Parse(["--config", "config.yaml"]);

        Assert.Equal(Path.Combine(Base, "data"), result.GetRequiredValue<CommandLinePath>("--data-dir").FullPath);
    }

    [Theory]
    [InlineData("validate")]
    [InlineData("alert test")]
    public void Parse_SubcommandRelativeConfig_ResolvedAgainstTheBaseDirectory(string command)
    {
        var result = LlmGateCommandLine.Build(Base).Parse([.. command.Split(' '), "-c", "../config.yaml"]);

        Assert.Empty(result.Errors);
        Assert.Equal(Path.Combine(Path.GetTempPath(), "llmgate-base", "config.yaml"), result.GetRequiredValue<CommandLinePath>("--config").FullPath);
    }

    [Theory]
    [InlineData("--ssl_certfile_path", "tls.crt")]
    [InlineData("--tls-key", "tls.key")]
    public void Parse_OnlyOneOfTheTlsFiles_IsAnErrorNamingBoth(string option, string path)
    {
        var result = LlmGateCommandLine.Build(Base).Parse(["--config", "config.yaml", option, path]);

        Assert.Contains(result.Errors, e => e.Message.Contains("--ssl_certfile_path and --ssl_keyfile_path go together", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_BothTlsFilesInEitherSpelling_NoError()
    {
        var result = LlmGateCommandLine.Build(Base).Parse(["--config", "config.yaml", "--tls-cert", "tls.crt", "--ssl_keyfile_path", "tls.key"]);

        Assert.Empty(result.Errors);
    }

    [Theory]
    [InlineData("--port", "notanumber")]
    [InlineData("--shutdown-timeout", "abc")]
    [InlineData("--client-stall-timeout", "")]
    public async Task Invoke_NotANumber_AUsageErrorNotACrash(string option, string value)
    {
        var (exitCode, _, error) = await InvokeAsync(Base, ["--config", "config.yaml", option, value]);

        Assert.NotEqual(0, exitCode);
        Assert.Contains($"Cannot parse argument '{value}' for option '{option}'", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--detailed_debug")]
    [InlineData("--debug")]
    [InlineData("--num_workers 4")]
    public void Parse_LiteLlmsOwnFlags_Accepted(string flags)
    {
        var result = LlmGateCommandLine.Build(Base).Parse(["--port", "4000", "--config", "config.yaml", .. flags.Split(' ')]);

        Assert.Empty(result.Errors);
    }

    [Fact]
    public async Task Invoke_PortInUse_OneLineAndExitCode1()
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;

        var (exitCode, _, error) = await InvokeWithConfigAsync(["--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--num_workers", "2"]);

        Assert.Equal(1, exitCode);
        var lines = error.ReplaceLineEndings("\n").TrimEnd().Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("warning: --num_workers is ignored", lines[0], StringComparison.Ordinal);
        Assert.Equal(
            $"Failed to bind to address http://127.0.0.1:{port}: address already in use. Is another gateway running? Choose another --port; not starting.",
            lines[1]);
    }

    [Fact]
    public async Task Invoke_DataDirIsAFile_RefusedAtOnceNamingIt()
    {
        var file = Path.GetTempFileName();
        try
        {
            var (exitCode, _, error) = await InvokeWithConfigAsync(["--data-dir", file]);

            Assert.Equal(1, exitCode);
            Assert.StartsWith($"--data-dir {file} cannot be used: ", error, StringComparison.Ordinal);
            Assert.EndsWith("; not starting." + Environment.NewLine, error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Parse_EmptyConfig_IsAnError()
    {
        var result = LlmGateCommandLine.Build(Base).Parse(["--config", ""]);

        Assert.Equal("--config needs a path.", Assert.Single(result.Errors).Message);
    }

    [Theory]
    [InlineData("validate --config")]
    [InlineData("alert test --config")]
    [InlineData("--config")]
    public async Task Invoke_MissingRelativeConfig_ErrorNamesFullPathAndBaseDirectory(string command)
    {
        var (exitCode, _, error) = await InvokeAsync(Base, [.. command.Split(' '), "examples/missing.yaml"]);

        Assert.Equal(1, exitCode);
        Assert.Contains(
            $"cannot read config file {Path.Combine(Base, "examples", "missing.yaml")} (examples/missing.yaml relative to {Base}): ",
            error,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_ValidateRelativeConfig_ReadsTheFileInTheBaseDirectory()
    {
        var directory = Directory.CreateTempSubdirectory("llmgate-cli-");
        try
        {
            Directory.CreateDirectory(Path.Combine(directory.FullName, "examples"));
            var config = Path.Combine(directory.FullName, "examples", "config.yaml");
            await File.WriteAllTextAsync(config, Config);

            var (exitCode, output, error) = await InvokeAsync(directory.FullName, ["validate", "--config", "examples/config.yaml"]);

            Assert.True(exitCode == 0, error);
            Assert.StartsWith($"{config}: OK (1 deployments", output, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Invoke_ValidateConfigWithLlmGateSettings_ListsLlmGatesOwnKeys()
    {
        var directory = Directory.CreateTempSubdirectory("llmgate-cli-");
        try
        {
            var config = Path.Combine(directory.FullName, "config.yaml");
            await File.WriteAllTextAsync(config, Config + """

                llmgate_settings:
                  alerting:
                    runbook_urls:
                      llm_api_failure: https://wiki.example.com/runbooks/llm
                """);

            var (exitCode, output, error) = await InvokeAsync(directory.FullName, ["validate", "--config", "config.yaml"]);

            Assert.True(exitCode == 0, error);
            Assert.StartsWith("LlmGate's own keys (LiteLLM has none of them): llmgate_settings.alerting.runbook_urls\n", output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Invoke_ValidateUnsupportedProvider_WarnsPerDeploymentAndCountsWhatCanBeServed()
    {
        var directory = Directory.CreateTempSubdirectory("llmgate-cli-");
        try
        {
            var config = Path.Combine(directory.FullName, "config.yaml");
            await File.WriteAllTextAsync(config, """
                model_list:
                  - model_name: gpt
                    litellm_params:
                      model: openai/gpt-4o
                      api_key: sk-inline
                  - model_name: zephyr
                    litellm_params:
                      model: huggingface/HuggingFaceH4/zephyr-7b-beta
                  - model_name: mock
                    litellm_params:
                      model: openai/no-key-needed
                      mock_response: hi
                general_settings:
                  master_key: sk-1234
                """);

            var (exitCode, output, error) = await InvokeAsync(directory.FullName, ["validate", "--config", "config.yaml"]);

            Assert.Equal(0, exitCode);
            Assert.Contains("warning: model_list[1] 'zephyr' (line 6): provider 'huggingface' is not supported by this version of LlmGate", error, StringComparison.Ordinal);
            Assert.DoesNotContain("model_list[0]", error, StringComparison.Ordinal);
            Assert.DoesNotContain("model_list[2]", error, StringComparison.Ordinal);
            Assert.Equal($"{config}: OK (3 deployments, 1 warnings); 2 of 3 deployments can be served", output.Trim());
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Invoke_PricesImportValidFile_WritesItIntoTheDataDirectoryAndCountsTheModels()
    {
        var directory = Directory.CreateTempSubdirectory("llmgate-cli-");
        try
        {
            const string Prices = """
                {"sample_spec": {"input_cost_per_token": 0.0}, "gpt-4o": {"input_cost_per_token": 2.5e-06, "output_cost_per_token": 1e-05},
                 "o3": {"input_cost_per_token": 2e-06, "output_cost_per_token": 8e-06}, "whisper-1": {"input_cost_per_second": 0.0001}}
                """;
            await File.WriteAllTextAsync(Path.Combine(directory.FullName, "prices.json"), Prices);

            var (exitCode, output, error) = await InvokeAsync(directory.FullName, ["prices", "import", "prices.json", "--data-dir", "state"]);

            Assert.True(exitCode == 0, error);
            var target = Path.Combine(directory.FullName, "state", "model_prices.json");
            Assert.StartsWith($"Imported prices for 3 models from {Path.Combine(directory.FullName, "prices.json")} into {target}", output, StringComparison.Ordinal);
            Assert.Equal(Prices, await File.ReadAllTextAsync(target));
            Assert.Equal(["model_prices.json"], Directory.GetFiles(Path.Combine(directory.FullName, "state")).Select(Path.GetFileName));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("{\"gpt-4o\": {\"input_cost_per_token\": ", "not valid JSON")]
    [InlineData("{\"sample_spec\": {\"input_cost_per_token\": 0.0}, \"tts-x\": {\"mode\": \"audio_speech\"}}", "no model with input_cost_per_token or output_cost_per_token")]
    [InlineData("{\"gpt-4o\": {\"input_cost_per_token\": -1}}", "'gpt-4o'.input_cost_per_token must be a cost in USD")]
    public async Task Invoke_PricesImportUnusableFile_ExitsOneAndKeepsTheInstalledTable(string prices, string expected)
    {
        var directory = Directory.CreateTempSubdirectory("llmgate-cli-");
        try
        {
            var source = Path.Combine(directory.FullName, "prices.json");
            await File.WriteAllTextAsync(source, prices);
            var installed = Path.Combine(directory.FullName, "data", "model_prices.json");
            Directory.CreateDirectory(Path.GetDirectoryName(installed)!);
            await File.WriteAllTextAsync(installed, "previous");

            var (exitCode, output, error) = await InvokeAsync(directory.FullName, ["prices", "import", "prices.json"]);

            Assert.Equal(1, exitCode);
            Assert.Empty(output);
            Assert.StartsWith($"{source}: ", error, StringComparison.Ordinal);
            Assert.Contains(expected, error, StringComparison.Ordinal);
            Assert.Equal("previous", await File.ReadAllTextAsync(installed));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Invoke_PricesImportMissingFile_ExitsOneNamingIt()
    {
        var (exitCode, _, error) = await InvokeAsync(Base, ["prices", "import", "missing.json"]);

        Assert.Equal(1, exitCode);
        Assert.StartsWith($"{Path.Combine(Base, "missing.json")}: cannot read: ", error, StringComparison.Ordinal);
    }

    // Serves `Config` from a directory of its own (its data directory inside), with these arguments after --config.
    private static async Task<(int ExitCode, string Output, string Error)> InvokeWithConfigAsync(string[] args)
    {
        var directory = Directory.CreateTempSubdirectory("llmgate-cli-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(directory.FullName, "config.yaml"), Config);
            return await InvokeAsync(directory.FullName, ["--config", "config.yaml", .. args]);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static async Task<(int ExitCode, string Output, string Error)> InvokeAsync(string baseDirectory, string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await LlmGateCommandLine.Build(baseDirectory).Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exitCode, output.ToString(), error.ToString());
    }
}
