using System.CommandLine;
using LlmGate.Alerting;
using LlmGate.Configuration;
using LlmGate.Hosting;

namespace LlmGate.Cli;

/// <summary>
/// <c>llmgate --config PATH</c> serves; <c>llmgate validate</c> checks a config; <c>llmgate alert test</c> runs a PagerDuty fire drill.
/// </summary>
internal static class LlmGateCommandLine
{
    public static RootCommand Build()
    {
        var config = ConfigOption();
        var host = new Option<string>("--host") { Description = "Address to listen on.", DefaultValueFactory = _ => "0.0.0.0" };
        var port = new Option<int>("--port") { Description = "Port to listen on.", DefaultValueFactory = _ => 4000 };
        port.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 0 or > 65535)
            {
                result.AddError("--port must be between 0 and 65535.");
            }
        });
        var dataDirectory = new Option<string>("--data-dir")
        {
            Description = "Directory for the gateway's own files (the durable alert outbox).",
            DefaultValueFactory = _ => "data",
        };

        var root = new RootCommand("LlmGate: an OpenAI-compatible LLM gateway that reads LiteLLM's config.yaml and pages through PagerDuty.")
        {
            config, host, port, dataDirectory,
        };
        root.SetAction((parseResult, cancellationToken) => ServeAsync(
            parseResult.GetRequiredValue(config),
            new GatewayHostOptions
            {
                Host = parseResult.GetRequiredValue(host),
                Port = parseResult.GetValue(port),
                DataDirectory = parseResult.GetRequiredValue(dataDirectory),
            },
            cancellationToken));

        var validateConfig = ConfigOption();
        var validate = new Command("validate", "Check a config file and print every problem; exits non-zero if there is one.") { validateConfig };
        validate.SetAction(parseResult => Validate(parseResult.GetRequiredValue(validateConfig)));
        root.Subcommands.Add(validate);

        var alertConfig = ConfigOption();
        var test = new Command("test", "Send a test trigger to PagerDuty, then its resolve, and print PagerDuty's answer to each.") { alertConfig };
        test.SetAction((parseResult, cancellationToken) => AlertTestAsync(parseResult.GetRequiredValue(alertConfig), cancellationToken));
        root.Subcommands.Add(new Command("alert", "Alerting tools.") { test });
        return root;
    }

    private static Option<string> ConfigOption() => new("--config", "-c")
    {
        Description = "Path to the LiteLLM config.yaml.",
        Required = true,
    };

    private static async Task<int> ServeAsync(string configPath, GatewayHostOptions hostOptions, CancellationToken cancellationToken)
    {
        var loaded = Load(configPath);
        if (loaded.Config is null)
        {
            return 1;
        }

        await using var app = GatewayApplication.Build(loaded, hostOptions, Environment.GetEnvironmentVariable);
        await app.RunAsync(cancellationToken);
        return 0;
    }

    private static int Validate(string configPath)
    {
        var loaded = ConfigLoader.Load(configPath, Environment.GetEnvironmentVariable);
        foreach (var diagnostic in loaded.Diagnostics)
        {
            Console.Error.WriteLine(diagnostic.ToString());
        }

        var missing = loaded.MissingVariables.Count;
        var errors = loaded.Errors.Count();
        if (errors == 0 && missing == 0)
        {
            Console.WriteLine($"{configPath}: OK ({loaded.Config!.Deployments.Count} deployments, {loaded.Warnings.Count()} warnings)");
            return 0;
        }

        Console.Error.WriteLine($"{configPath}: {errors} errors, {missing} missing environment variables");
        return 1;
    }

    private static async Task<int> AlertTestAsync(string configPath, CancellationToken cancellationToken)
    {
        var loaded = Load(configPath);
        if (loaded.Config is null)
        {
            return 1;
        }

        if (loaded.Config.Alerting is not { } alerting)
        {
            await Console.Error.WriteLineAsync("Alerting is not configured: add general_settings.alerting: [\"pagerduty\"] to the config.");
            return 1;
        }

        return await AlertFireDrill.RunFromCliAsync(alerting, Console.Out, cancellationToken);
    }

    // Start-up refuses a config with errors and lists every one of them.
    private static ConfigLoadResult Load(string configPath)
    {
        var loaded = ConfigLoader.Load(configPath, Environment.GetEnvironmentVariable);
        if (loaded.HasErrors)
        {
            foreach (var error in loaded.Errors)
            {
                Console.Error.WriteLine(error.ToString());
            }

            Console.Error.WriteLine($"{configPath}: the config has errors; not starting.");
        }

        return loaded;
    }
}
