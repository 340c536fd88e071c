using System.Globalization;

namespace LlmGate.Bench.Targets;

/// <summary>
/// A process's TCP sockets other than listeners, from <c>/proc/PID/fd</c> (its socket inodes) and
/// <c>/proc/PID/net/tcp</c>, <c>tcp6</c> (every socket of its network namespace): those whose local port is the one it
/// serves on are clients' connections; the rest are its own outgoing ones (upstreams, alert channels). Sockets
/// neither established nor listening (CLOSE_WAIT above all: a peer closed and the process never did) are counted apart.
/// </summary>
internal readonly record struct TcpConnections(int Inbound, int Outbound, int NotEstablished)
{
    private const string Established = "01";
    private const string Listen = "0A";

    public int Total => Inbound + Outbound + NotEstablished;

    public static TcpConnections Of(int pid, int servedPort)
    {
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var fd in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
        {
            // A socket's link reads "socket:[12345]"; a descriptor closed meanwhile has no target.
            var target = new FileInfo(fd).LinkTarget;
            if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal))
            {
                inodes.Add(target[8..^1]);
            }
        }

        int inbound = 0, outbound = 0, other = 0;
        foreach (var table in new[] { "tcp", "tcp6" })
        {
            var path = $"/proc/{pid}/net/{table}";
            if (!File.Exists(path))
            {
                continue;
            }

            // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...
            foreach (var line in File.ReadLines(path).Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length < 10 || fields[3] == Listen || !inodes.Contains(fields[9]))
                {
                    continue;
                }

                var localPort = int.Parse(fields[1].AsSpan(fields[1].LastIndexOf(':') + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                if (fields[3] != Established)
                {
                    other++;
                }
                else if (localPort == servedPort)
                {
                    inbound++;
                }
                else
                {
                    outbound++;
                }
            }
        }

        return new TcpConnections(inbound, outbound, other);
    }
}
