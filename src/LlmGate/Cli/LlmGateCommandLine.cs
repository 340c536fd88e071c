using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using LlmGate.Alerting;
using LlmGate.Configuration;
using LlmGate.Hosting;
using LlmGate.Keys;
using LlmGate.Pricing;
using LlmGate.Providers;
using LlmGate.Proxy;
using LlmGate.Reload;
using LlmGate.Routing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlmGate.Cli;

/// <summary>
/// <c>llmgate --config PATH</c> serves; <c>llmgate validate</c> checks a config; <c>llmgate alert test</c> runs a fire drill on the alert channels;
/// <c>llmgate prices import FILE</c> installs a LiteLLM price table.
/// Relative paths are relative to the directory the command is run in, and are made absolute as they are parsed.
/// </summary>
internal static class LlmGateCommandLine
{
    public static RootCommand Build() => Build(Environment.CurrentDirectory);

    /// <summary>The command line, with relative path options resolved against <paramref name="baseDirectory"/>.</summary>
    public static RootCommand Build(string baseDirectory)
    {
        var config = ConfigOption(baseDirectory);
        var host = new Option<string>("--host") { Description = "Address to listen on.", DefaultValueFactory = _ => "0.0.0.0" };
        var port = new Option<int>("--port") { Description = "Port to listen on.", DefaultValueFactory = _ => 4000 };
        InRange(port, 0, 65535, "--port must be between 0 and 65535.");
        var dataDirectory = DataDirectoryOption(baseDirectory);
        var shutdownTimeout = new Option<int>("--shutdown-timeout")
        {
            Description = "Seconds that requests and streams in flight may run on after SIGTERM/SIGINT; streams still open then end with an error event.",
            DefaultValueFactory = _ => 30,
        };
        InRange(shutdownTimeout, 0, 3600, "--shutdown-timeout must be between 0 and 3600 seconds.");
        var clientStallTimeout = new Option<int>("--client-stall-timeout")
        {
            Description = "Seconds a stream may wait on a client that takes none of it (stopped reading) before the client is cut and the upstream call cancelled.",
            DefaultValueFactory = _ => (int)ClientStallLimit.Default.Timeout.TotalSeconds,
        };
        InRange(clientStallTimeout, 1, 3600, "--client-stall-timeout must be between 1 and 3600 seconds.");
        var tlsCertificate = PathOption("--ssl_certfile_path", "--tls-cert", "PEM certificate (chain) to serve HTTPS with (LiteLLM's flag); rotated files are picked up without a restart.", baseDirectory);
        var tlsKey = PathOption("--ssl_keyfile_path", "--tls-key", "PEM private key of --ssl_certfile_path (LiteLLM's flag).", baseDirectory);

        var watchConfig = new Option<bool>("--watch-config")
        {
            Description = "Reload the config when its file changes (checked every 2 s). SIGHUP and POST /config/reload reload it too.",
        };

        // LiteLLM's own flags, as its Docker and Helm command lines pass them: a copied command line must start.
        var detailedDebug = new Option<bool>("--detailed_debug", "--debug")
        {
            Description = "Debug logs (LiteLLM's flags; LITELLM_LOG=DEBUG too): a line per upstream attempt and per call, without prompts or keys.",
        };
        var workers = new Option<int?>("--num_workers")
        {
            Description = "LiteLLM's uvicorn worker count: accepted and ignored, one LlmGate process serves every core.",
        };

        var root = new RootCommand("LlmGate: an OpenAI-compatible LLM gateway that reads LiteLLM's config.yaml and pages through PagerDuty.")
        {
            config, host, port, dataDirectory, shutdownTimeout, clientStallTimeout, tlsCertificate, tlsKey, watchConfig, detailedDebug, workers,
        };
        root.Validators.Add(result =>
        {
            if ((result.GetValue(tlsCertificate) is null) != (result.GetValue(tlsKey) is null))
            {
                result.AddError("--ssl_certfile_path and --ssl_keyfile_path go together: give both for HTTPS, or neither.");
            }
        });
        root.SetAction((parseResult, cancellationToken) => ServeAsync(
            parseResult.GetRequiredValue(config),
            parseResult.InvocationConfiguration,
            parseResult.GetValue(workers),
            new GatewayHostOptions
            {
                Host = parseResult.GetRequiredValue(host),
                Port = parseResult.GetValue(port),
                DataDirectory = parseResult.GetRequiredValue(dataDirectory).FullPath,
                TlsCertificatePath = parseResult.GetValue(tlsCertificate)?.FullPath,
                TlsKeyPath = parseResult.GetValue(tlsKey)?.FullPath,
                ShutdownTimeout = TimeSpan.FromSeconds(parseResult.GetValue(shutdownTimeout)),
                ConfigPath = parseResult.GetRequiredValue(config).FullPath,
                WatchConfig = parseResult.GetValue(watchConfig),
                ClientStallTimeout = TimeSpan.FromSeconds(parseResult.GetValue(clientStallTimeout)),
                DetailedDebug = parseResult.GetValue(detailedDebug)
                    || string.Equals(Environment.GetEnvironmentVariable("LITELLM_LOG"), "DEBUG", StringComparison.OrdinalIgnoreCase),
            },
            cancellationToken));

        var validateConfig = ConfigOption(baseDirectory);
        var validate = new Command("validate", "Check a config file and print every problem; exits non-zero if there is one.") { validateConfig };
        validate.SetAction(parseResult => Validate(parseResult.GetRequiredValue(validateConfig), parseResult.InvocationConfiguration));
        root.Subcommands.Add(validate);

        var alertConfig = ConfigOption(baseDirectory);
        var alertChannel = new Option<string?>("--channel")
        {
            Description = $"Drill only this channel ({string.Join(", ", AlertTypeNames.Channels)}); every configured channel without it.",
        };
        alertChannel.AcceptOnlyFromAmong([.. AlertTypeNames.Channels]);
        var test = new Command("test", "Send a test trigger, then its resolve, to each configured alert channel and print each one's answers.") { alertConfig, alertChannel };
        test.SetAction((parseResult, cancellationToken) => AlertTestAsync(
            parseResult.GetRequiredValue(alertConfig), parseResult.GetValue(alertChannel), parseResult.InvocationConfiguration, cancellationToken));
        var alert = new Command("alert", "Alerting tools.") { test };
        SilenceCommands.AddTo(alert);
        root.Subcommands.Add(alert);

        var importFile = new Argument<CommandLinePath>("file")
        {
            Description = "A price table in the format of LiteLLM's model_prices_and_context_window.json, relative to the current directory.",
            CustomParser = result => ParsePath(result, baseDirectory),
        };
        var importDataDirectory = DataDirectoryOption(baseDirectory);
        var import = new Command("import", "Check a LiteLLM price table and install it as <data-dir>/model_prices.json, read at the next start.")
        {
            importFile, importDataDirectory,
        };
        import.SetAction(parseResult => ImportPrices(parseResult.GetRequiredValue(importFile), parseResult.GetRequiredValue(importDataDirectory), parseResult.InvocationConfiguration));
        root.Subcommands.Add(new Command("prices", "Model price tools.") { import });

        var from = new Option<string>("--from")
        {
            Description = "LiteLLM's DATABASE_URL (postgresql://user:password@host:5432/db): its keys, teams and users are read from there.",
            Required = true,
        };
        var keysConfig = ConfigOption(baseDirectory);
        var keysDataDirectory = DataDirectoryOption(baseDirectory);
        var keysImport = new Command("import", "Copy LiteLLM's virtual keys, teams and users into the key store the config names (database_url, else SQLite in --data-dir).")
        {
            from, keysConfig, keysDataDirectory,
        };
        keysImport.SetAction((parseResult, cancellationToken) => ImportKeysAsync(
            parseResult.GetRequiredValue(from), parseResult.GetRequiredValue(keysConfig), parseResult.GetRequiredValue(keysDataDirectory), parseResult.InvocationConfiguration, cancellationToken));
        root.Subcommands.Add(new Command("keys", "Virtual key tools.") { keysImport });
        return root;
    }

    private static void InRange(Option<int> option, int min, int max, string message) => option.Validators.Add(result =>
    {
        // A value that is not a number is System.CommandLine's own error already; reading it here would throw.
        if (result.Tokens is [{ Value: var text }] && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && (value < min || value > max))
        {
            result.AddError(message);
        }
    });

    private static Option<CommandLinePath> DataDirectoryOption(string baseDirectory) => new("--data-dir")
    {
        Description = "Directory for the gateway's own files (the durable alert outbox, imported prices); relative to the current directory.",
        CustomParser = result => ParsePath(result, baseDirectory),
        DefaultValueFactory = _ => CommandLinePath.Resolve("data", baseDirectory),
    };

    private static Option<CommandLinePath?> PathOption(string name, string alias, string description, string baseDirectory) => new(name, alias)
    {
        Description = description + " Relative to the current directory.",
        CustomParser = result => ParsePath(result, baseDirectory),
    };

    private static Option<CommandLinePath> ConfigOption(string baseDirectory) => new("--config", "-c")
    {
        Description = "Path to the LiteLLM config.yaml, relative to the current directory.",
        Required = true,
        CustomParser = result => ParsePath(result, baseDirectory),
    };

    private static CommandLinePath? ParsePath(ArgumentResult result, string baseDirectory)
    {
        var given = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        if (given.Length == 0)
        {
            var name = result.Parent is OptionResult option ? option.Option.Name : result.Argument.Name;
            result.AddError($"{name} needs a path.");
            return null;
        }

        return CommandLinePath.Resolve(given, baseDirectory);
    }

    private static async Task<int> ServeAsync(
        CommandLinePath configPath, InvocationConfiguration console, int? workers, GatewayHostOptions hostOptions, CancellationToken cancellationToken)
    {
        // First: a SIGHUP during start-up must not end the process. Its presence also makes this the served gateway,
        // which handles its stop signals itself.
        using var hangup = new HangupSignal();
        hostOptions = hostOptions with { Hangup = hangup };
        var loaded = Load(configPath, console.Error);
        if (loaded.Config is null)
        {
            return 1;
        }

        // A data directory that cannot be written is a mistake in the command line, not a database outage to ride out.
        if (UnusableDirectory(hostOptions.DataDirectory) is { } unusable)
        {
            await console.Error.WriteLineAsync($"--data-dir {hostOptions.DataDirectory} cannot be used: {unusable}; not starting.");
            return 1;
        }

        if (workers is not null)
        {
            await console.Error.WriteLineAsync("warning: --num_workers is ignored: one LlmGate process serves every core (run more instances behind a load balancer to scale out).");
        }

        WebApplication app;
        try
        {
            app = GatewayApplication.Build(loaded, hostOptions, Environment.GetEnvironmentVariable);
        }
        catch (GatewayStartException exception) when (!exception.InConfig)
        {
            await console.Error.WriteLineAsync($"{string.Join("; ", exception.Problems)}; not starting.");
            return 1;
        }
        catch (GatewayStartException exception)
        {
            foreach (var problem in exception.Problems)
            {
                await console.Error.WriteLineAsync($"{configPath}: {problem}");
            }

            await console.Error.WriteLineAsync($"{configPath}: the config has errors; not starting.");
            return 1;
        }
        catch (PriceTableException exception)
        {
            // The message names the imported file; the fix is there, not in the config.
            await console.Error.WriteLineAsync($"{exception.Message}; fix it or import a good one with 'llmgate prices import'; not starting.");
            return 1;
        }

        await using (app)
        {
            try
            {
                await app.RunAsync(cancellationToken);
            }
            catch (IOException exception) when (exception.InnerException is AddressInUseException)
            {
                // Kestrel's message says it all ("Failed to bind to address http://…:4000: address already in use.").
                await console.Error.WriteLineAsync($"{exception.Message} Is another gateway running? Choose another --port; not starting.");
                return 1;
            }
        }

        return 0;
    }

    private static string? UnusableDirectory(string path)
    {
        try
        {
            Directory.CreateDirectory(path);
            var probe = Path.Combine(path, $".llmgate-write-check-{Environment.ProcessId}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
            return null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return exception.Message;
        }
    }

    private static int Validate(CommandLinePath configPath, InvocationConfiguration console)
    {
        var loaded = ConfigLoader.Load(configPath.FullPath, Environment.GetEnvironmentVariable, configPath.Origin);
        foreach (var diagnostic in loaded.Diagnostics)
        {
            console.Error.WriteLine(diagnostic.ToString());
        }

        // What the providers make of their deployments (credentials files, unsupported providers), as the start would.
        IReadOnlyList<string> providerErrors = [];
        ServingReport? serving = null;
        if (loaded.Config is { } config)
        {
            var routes = new RouteTable(config.Deployments, ProviderAdapters.CreateDefault(TimeProvider.System), Environment.GetEnvironmentVariable, aliases: config.Router.ModelGroupAlias);
            providerErrors = routes.ConfigurationErrors();
            serving = ServingReport.Of(config.Deployments, routes);
        }

        foreach (var problem in providerErrors)
        {
            console.Error.WriteLine($"{configPath}: {problem}");
        }

        foreach (var unservable in serving?.Unservable ?? [])
        {
            console.Error.WriteLine($"warning: {unservable}");
        }

        if (loaded.OwnKeys.Count > 0)
        {
            // One file serves both: LiteLLM ignores these, LlmGate reads them.
            console.Output.WriteLine($"LlmGate's own keys (LiteLLM has none of them): {string.Join(", ", loaded.OwnKeys)}");
        }

        var missing = loaded.MissingVariables.Count;
        var errors = loaded.Errors.Count() + providerErrors.Count;
        if (errors == 0 && missing == 0)
        {
            var warnings = loaded.Warnings.Count() + serving!.Unservable.Count;
            console.Output.WriteLine($"{configPath}: OK ({loaded.Config!.Deployments.Count} deployments, {warnings} warnings); {serving.Summary}");
            return 0;
        }

        var summary = serving is null ? "" : "; " + serving.Summary;
        console.Error.WriteLine($"{configPath}: {errors} errors, {missing} missing environment variables{summary}");
        return 1;
    }

    private static async Task<int> AlertTestAsync(CommandLinePath configPath, string? channel, InvocationConfiguration console, CancellationToken cancellationToken)
    {
        var loaded = Load(configPath, console.Error);
        if (loaded.Config is null)
        {
            return 1;
        }

        if (loaded.Config.Alerting is null)
        {
            await console.Error.WriteLineAsync($"Alerting is not configured: add general_settings.alerting (any of {string.Join(", ", AlertTypeNames.Channels)}) to the config.");
            return 1;
        }

        return await AlertFireDrill.RunFromCliAsync(loaded.Config, channel, console.Output, cancellationToken);
    }

    private static async Task<int> ImportKeysAsync(string from, CommandLinePath configPath, CommandLinePath dataDirectory, InvocationConfiguration console, CancellationToken cancellationToken)
    {
        var loaded = Load(configPath, console.Error);
        if (loaded.Config is null)
        {
            return 1;
        }

        Directory.CreateDirectory(dataDirectory.FullPath);
        try
        {
            await using var store = KeyStores.Create(loaded.Config.Spend, dataDirectory.FullPath, TimeProvider.System, NullLoggerFactory.Instance);
            await store.MigrateAsync(cancellationToken);
            var result = await new LiteLlmImporter(store).ImportAsync(from, cancellationToken);
            await console.Output.WriteLineAsync(
                $"Imported {result.KeysImported} keys, {result.TeamsImported} teams and {result.UsersImported} users into {store.Kind}; "
                + $"skipped {result.KeysSkipped} keys, {result.TeamsSkipped} teams and {result.UsersSkipped} users already there.");
            return 0;
        }
        catch (KeyStoreException exception)
        {
            // The store's messages name host, port and database, never a password.
            await console.Error.WriteLineAsync($"{exception.Message}; nothing more was imported.");
            return 1;
        }
    }

    private static int ImportPrices(CommandLinePath file, CommandLinePath dataDirectory, InvocationConfiguration console)
    {
        try
        {
            var count = PriceTableImport.Import(file.FullPath, dataDirectory.FullPath);
            console.Output.WriteLine($"Imported prices for {count} models from {file} into {Path.Combine(dataDirectory.FullPath, ModelPrices.ImportedFileName)}; the gateway reads them at its next start.");
            return 0;
        }
        catch (PriceTableException exception)
        {
            console.Error.WriteLine(exception.Message);
            console.Error.WriteLine("Nothing was imported.");
            return 1;
        }
    }

    // Start-up refuses a config with errors and lists every one of them.
    private static ConfigLoadResult Load(CommandLinePath configPath, TextWriter error)
    {
        var loaded = ConfigLoader.Load(configPath.FullPath, Environment.GetEnvironmentVariable, configPath.Origin);
        if (loaded.HasErrors)
        {
            foreach (var diagnostic in loaded.Errors)
            {
                error.WriteLine(diagnostic.ToString());
            }

            error.WriteLine($"{configPath}: the config has errors; not starting.");
        }

        return loaded;
    }
}
