using System.Diagnostics;
using System.Globalization;

namespace LlmGate.Testing;

/// <summary>
/// A throwaway PostgreSQL cluster of a test's own: initdb into a temp dir, a free port of 127.0.0.1, its unix socket in
/// the temp dir, fsync off, trust authentication. The test can stop it and start it again on the same port and data
/// (a database outage mid-test); dispose stops it and deletes it. initdb and postgres refuse to run as root, so as
/// root (CI) they run as user postgres, which owns the temp dir.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private static readonly Lazy<bool> RunningAsRoot = new(() => Run("id", ["-u"]).Output.Trim() == "0");

    private readonly string _directory;
    private bool _running;

    private PostgresServer(string directory, int port)
    {
        _directory = directory;
        Port = port;
    }

    /// <summary>The directory holding initdb and postgres: env <c>LLMGATE_TEST_POSTGRES_BIN</c>, else the newest /usr/lib/postgresql/*/bin.</summary>
    public static string? BinDirectory { get; } = FindBinDirectory();

    /// <summary>Why no cluster can be started here, or null.</summary>
    public static string? SkipReason => BinDirectory is null
        ? "no PostgreSQL binaries: install postgresql or set LLMGATE_TEST_POSTGRES_BIN to the directory holding initdb and pg_ctl"
        : null;

    public int Port { get; }

    /// <summary>The <c>postgres</c> database as superuser <c>postgres</c> (trust: no password).</summary>
    public string Url => string.Create(CultureInfo.InvariantCulture, $"postgresql://postgres@127.0.0.1:{Port}/postgres");

    private string DataDirectory => Path.Combine(_directory, "data");

    public static async Task<PostgresServer> StartAsync()
    {
        var bin = BinDirectory ?? throw new InvalidOperationException(SkipReason);
        var directory = Path.Combine(Path.GetTempPath(), "llmgate-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        var server = new PostgresServer(directory, LoopbackPorts.Free());
        try
        {
            if (RunningAsRoot.Value)
            {
                Check(Run("chown", ["postgres", directory]), "chown");
            }

            Check(await RunAsPostgresAsync(Path.Combine(bin, "initdb"), ["-D", server.DataDirectory, "-U", "postgres", "--auth=trust", "--no-sync"]), "initdb");
            await server.StartAgainAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the cluster (again) on the same port and data; returns when it accepts connections.</summary>
    public async Task StartAgainAsync()
    {
        var options = string.Create(CultureInfo.InvariantCulture,
            $"-p {Port} -c listen_addresses=127.0.0.1 -k {_directory} -c fsync=off");
        Check(await RunAsPostgresAsync(Path.Combine(BinDirectory!, "pg_ctl"),
            ["-D", DataDirectory, "-l", Path.Combine(_directory, "server.log"), "-w", "-t", "60", "-o", options, "start"]), "pg_ctl start");
        _running = true;
    }

    /// <summary>An immediate shutdown, as a crash would be: clients see their connections drop and new ones refused.</summary>
    public async Task StopAsync()
    {
        if (!_running)
        {
            return;
        }

        Check(await RunAsPostgresAsync(Path.Combine(BinDirectory!, "pg_ctl"), ["-D", DataDirectory, "-m", "immediate", "-w", "stop"]), "pg_ctl stop");
        _running = false;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static Task<(int ExitCode, string Output)> RunAsPostgresAsync(string file, IReadOnlyList<string> arguments) =>
        Task.Run(() => RunningAsRoot.Value ? Run("runuser", ["-u", "postgres", "--", file, .. arguments]) : Run(file, arguments));

    private static (int ExitCode, string Output) Run(string file, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + error.GetAwaiter().GetResult());
    }

    private static void Check((int ExitCode, string Output) result, string what)
    {
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{what} exited with {result.ExitCode}: {result.Output}");
        }
    }

    private static string? FindBinDirectory()
    {
        if (Environment.GetEnvironmentVariable("LLMGATE_TEST_POSTGRES_BIN") is { Length: > 0 } configured)
        {
            return File.Exists(Path.Combine(configured, "initdb")) ? configured : null;
        }

        if (!Directory.Exists("/usr/lib/postgresql"))
        {
            return null;
        }

        return Directory.GetDirectories("/usr/lib/postgresql")
            .Select(version => Path.Combine(version, "bin"))
            .Where(bin => File.Exists(Path.Combine(bin, "initdb")) && File.Exists(Path.Combine(bin, "pg_ctl")))
            .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), NumberStyles.None, CultureInfo.InvariantCulture, out var major) ? major : 0)
            .FirstOrDefault();
    }
}
