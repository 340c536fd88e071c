using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace LlmGate.Hosting;

/// <summary>
/// The listener's TLS certificate, from a PEM certificate (chain) and key file, as LiteLLM's <c>--ssl_certfile_path</c>
/// and <c>--ssl_keyfile_path</c> name them. Files rotated in place (cert-manager, a renewed Secret's mount) are picked
/// up by the next TLS handshake after a change, checked at most every <see cref="CheckInterval"/>; a pair that does
/// not load (say the certificate was written before its key) is logged and the certificate in use is kept until a
/// pair that loads appears.
/// </summary>
internal sealed class ListenerCertificate
{
    public static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(10);

    private readonly string _certificatePath;
    private readonly string _keyPath;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private Loaded _current;
    private long _nextCheck;
    private FileStamp _failedStamp;

    public ListenerCertificate(string certificatePath, string keyPath, TimeProvider time, ILogger logger)
    {
        (_certificatePath, _keyPath, _time, _logger) = (certificatePath, keyPath, time, logger);
        var stamp = Stamp();
        _current = new Loaded(TryLoad(out var problem) ?? throw new GatewayStartException(problem!) { InConfig = false }, stamp);
        _nextCheck = time.GetTimestamp() + ToTicks(CheckInterval);
    }

    /// <summary>The certificate to present now; re-reads the files first when they changed since the last look.</summary>
    public X509Certificate2 Current
    {
        get
        {
            var now = _time.GetTimestamp();
            var due = Volatile.Read(ref _nextCheck);
            if (now >= due && Interlocked.CompareExchange(ref _nextCheck, now + ToTicks(CheckInterval), due) == due)
            {
                Refresh();
            }

            return Volatile.Read(ref _current).Certificate;
        }
    }

    private void Refresh()
    {
        var stamp = Stamp();
        if (stamp == Volatile.Read(ref _current).Stamp || stamp == _failedStamp)
        {
            return;
        }

        if (TryLoad(out var problem) is { } certificate)
        {
            // The old certificate is not disposed: a handshake that took it a moment ago may still be using it.
            Volatile.Write(ref _current, new Loaded(certificate, stamp));
            GatewayLog.CertificateReloaded(_logger, _certificatePath, certificate.Subject, certificate.NotAfter);
        }
        else
        {
            _failedStamp = stamp;
            GatewayLog.CertificateReloadFailed(_logger, problem!);
        }
    }

    private X509Certificate2? TryLoad(out string? problem)
    {
        try
        {
            problem = null;
            return X509Certificate2.CreateFromPemFile(_certificatePath, _keyPath);
        }
        catch (Exception exception) when (exception is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            // The message names the file and what is wrong with it; a key's contents never appear in it.
            problem = $"TLS certificate '{_certificatePath}' with key '{_keyPath}' cannot be loaded: {exception.Message}";
            return null;
        }
    }

    private FileStamp Stamp() => new(StampOf(_certificatePath), StampOf(_keyPath));

    private static (DateTime, long) StampOf(string path)
    {
        var file = new FileInfo(path);
        return file.Exists ? (file.LastWriteTimeUtc, file.Length) : default;
    }

    private long ToTicks(TimeSpan interval) => (long)(interval.TotalSeconds * _time.TimestampFrequency);

    private sealed record Loaded(X509Certificate2 Certificate, FileStamp Stamp);

    private readonly record struct FileStamp((DateTime, long) Certificate, (DateTime, long) Key);
}
