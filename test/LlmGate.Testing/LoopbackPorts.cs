using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace LlmGate.Testing;

/// <summary>Ports for servers that a test or benchmark starts as another process and must name in advance.</summary>
public static class LoopbackPorts
{
    /// <summary>
    /// A free TCP port on 127.0.0.1 below the kernel's ephemeral range. A port from port 0 would be free only until the
    /// target binds it: meanwhile any outgoing connection or port-0 listener on the machine (other tests, a benchmark
    /// beside them) may take it, and the readiness probe would then reach someone else's server. Nothing takes ports below
    /// the ephemeral range unless asked for them by number.
    /// </summary>
    public static int Free()
    {
        var (low, high) = PortsBelowEphemeralRange();
        for (var tries = 0; ; tries++)
        {
            var port = Random.Shared.Next(low, high);
            using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException) when (tries < 100)
            {
                // Taken by number by something else; another one.
            }
        }
    }

    private static (int Low, int High) PortsBelowEphemeralRange()
    {
        const int fallbackEphemeralStart = 32768;
        var ephemeralStart = fallbackEphemeralStart;
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            ephemeralStart = int.Parse(range[0], CultureInfo.InvariantCulture);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            // Not Linux, or not readable: the usual default.
        }

        var high = Math.Clamp(ephemeralStart, 12000, 65535);
        return (high - 10000, high);
    }
}
