using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LlmGate.Reload;

/// <summary>
/// <c>--watch-config</c>: reads the config file every <see cref="Interval"/> and reloads once its bytes differ from
/// those in use and have stayed the same for one interval (an editor's partial save, or a ConfigMap's symlink swap
/// half done, is not loaded). Polling rather than inotify: a Kubernetes ConfigMap is updated by swapping a symlink
/// of a parent directory, which file-change notifications on the file's own path miss. Content that was refused is
/// not tried again until it changes.
/// </summary>
internal sealed class ConfigFileWatcher : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    private readonly ConfigReloader _reloader;
    private readonly string _path;
    private readonly ILogger<ConfigFileWatcher> _logger;

    // Created with the watcher (tests advance a FakeTimeProvider past its first tick as soon as the host started).
    private readonly PeriodicTimer _timer;
    private byte[]? _seen;
    private byte[]? _tried;

    public ConfigFileWatcher(ConfigReloader reloader, TimeProvider time, ILogger<ConfigFileWatcher> logger)
    {
        _reloader = reloader;
        _path = reloader.Path ?? throw new ArgumentException("Only a gateway started from a file can watch it.", nameof(reloader));
        _logger = logger;
        _timer = new PeriodicTimer(Interval, time);
    }

    /// <summary>One look at the file; reloads when its new content has held since the last look.</summary>
    public void Check()
    {
        var hash = ConfigReloader.HashOf(_path);
        var settled = hash is not null && _seen is not null && hash.AsSpan().SequenceEqual(_seen);
        _seen = hash;
        if (!settled || !_reloader.FileDiffers(hash) || (_tried is not null && hash!.AsSpan().SequenceEqual(_tried)))
        {
            return;
        }

        _tried = hash;
        _reloader.Reload("file_watch");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        ReloadLog.Watching(_logger, _path, Interval.TotalSeconds);
        try
        {
            while (await _timer.WaitForNextTickAsync(stoppingToken))
            {
                Check();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override void Dispose()
    {
        _timer.Dispose();
        base.Dispose();
    }
}
