using System.Net;
using SmtpServer;
using SmtpServer.Authentication;

namespace LlmGate.Testing;

/// <summary>
/// An SMTP server on 127.0.0.1 at a free port (the <c>SmtpServer</c> library, plain text: test with <c>SMTP_TLS=false</c>):
/// optional AUTH accepting one username and password (535 for any other), told to answer 451 (transient) or 550
/// (permanent) at the end of DATA for the next messages, and recording each accepted message parsed with MimeKit, with
/// a wait for them.
/// </summary>
public sealed class FakeSmtpServer : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly ChangeSignal _changes;
    private readonly List<FakeSmtpServerMessage> _messages = [];
    private readonly Queue<int> _replies = new();
    private readonly CancellationTokenSource _stopping = new();
    private Task _running = Task.CompletedTask;
    private int _refusedLogins;
    private int _refusedMessages;

    private FakeSmtpServer(int port)
    {
        Port = port;
        _changes = new ChangeSignal(_lock, "SMTP server");
    }

    public string Host => "127.0.0.1";

    public int Port { get; }

    public IReadOnlyList<FakeSmtpServerMessage> Messages
    {
        get
        {
            lock (_lock)
            {
                return [.. _messages];
            }
        }
    }

    /// <summary>Logins refused with 535.</summary>
    public int RefusedLogins
    {
        get
        {
            lock (_lock)
            {
                return _refusedLogins;
            }
        }
    }

    /// <summary>Messages answered with a scripted 4xx or 5xx.</summary>
    public int RefusedMessages
    {
        get
        {
            lock (_lock)
            {
                return _refusedMessages;
            }
        }
    }

    /// <param name="username">With <paramref name="password"/>: AUTH is required, and only this login is accepted.</param>
    public static async Task<FakeSmtpServer> StartAsync(string? username = null, string? password = null)
    {
        var port = LoopbackPorts.Free();
        var fake = new FakeSmtpServer(port);
        var options = new SmtpServerOptionsBuilder()
            .ServerName("fake-smtp.test")
            .Endpoint(endpoint => endpoint
                .Endpoint(new IPEndPoint(IPAddress.Loopback, port))
                .AllowUnsecureAuthentication(true)
                .AuthenticationRequired(username is not null))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new FakeSmtpServerStore(fake));
        if (username is not null)
        {
            services.Add(new DelegatingUserAuthenticator((user, pass) => fake.Login(user == username && pass == password)));
        }

        var server = new SmtpServer.SmtpServer(options, services);
        fake._running = server.StartAsync(fake._stopping.Token);
        await fake.WaitUntilListeningAsync();
        return fake;
    }

    /// <summary>The next <paramref name="count"/> messages are answered <paramref name="reply"/> (451, 550, …) at the end of DATA.</summary>
    public void RefuseNext(int count, int reply)
    {
        lock (_lock)
        {
            for (var i = 0; i < count; i++)
            {
                _replies.Enqueue(reply);
            }
        }
    }

    public Task WaitForMessagesAsync(int count, TimeSpan timeout) => _changes.WaitForAsync(() => _messages.Count >= count, timeout, $"{count} message(s)");

    /// <summary>Waits for <paramref name="count"/> messages, accepted or refused.</summary>
    public Task WaitForAttemptsAsync(int count, TimeSpan timeout) =>
        _changes.WaitForAsync(() => _messages.Count + _refusedMessages + _refusedLogins >= count, timeout, $"{count} attempt(s)");

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        try
        {
            await _running;
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        _stopping.Dispose();
    }

    internal int? TakeScriptedReply()
    {
        lock (_lock)
        {
            if (_replies.Count == 0)
            {
                return null;
            }

            _refusedMessages++;
            var reply = _replies.Dequeue();
            _changes.Signal();
            return reply;
        }
    }

    internal void Record(FakeSmtpServerMessage message)
    {
        lock (_lock)
        {
            _messages.Add(message);
            _changes.Signal();
        }
    }

    private bool Login(bool accepted)
    {
        if (!accepted)
        {
            lock (_lock)
            {
                _refusedLogins++;
                _changes.Signal();
            }
        }

        return accepted;
    }

    // The library binds as StartAsync begins; an accepted connection proves it (bounded in tries, should that change).
    private async Task WaitUntilListeningAsync()
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var client = new System.Net.Sockets.TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (System.Net.Sockets.SocketException) when (attempt < 50 && !_running.IsCompleted)
            {
                await Task.Delay(20);
            }
        }
    }
}
