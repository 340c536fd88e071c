using System.Globalization;
using System.Net.Sockets;
using LlmGate.Alerting.Delivery;
using LlmGate.Alerting.Messages;
using LlmGate.Configuration;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace LlmGate.Alerting.Email;

/// <summary>
/// Email through an SMTP server (LiteLLM's <c>SMTP_*</c> env) as an alert channel, with MailKit: one message per alert
/// from <c>SMTP_SENDER_EMAIL</c> to every recipient. A 4xx reply, a lost connection or a timeout is worth another try;
/// a 5xx reply or a refused login is final. Answers name the SMTP status and a short reason of ours, never the
/// server's text (it often quotes the address), an address or the password.
/// </summary>
internal sealed class EmailChannel(EmailOptions options, AlertMessageBuilder messages, TimeProvider time) : IAlertChannel
{
    public const string ChannelName = AlertTypeNames.EmailChannel;
    public static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(30);

    /// <summary>SMTP servers throttle per connection and per minute; a few quick messages, then one every two seconds.</summary>
    public static readonly DeliveryRateLimit EmailRateLimit = new(5, TimeSpan.FromSeconds(2));

    public string Name => ChannelName;

    public string Kind => ChannelName;

    public DeliveryRateLimit RateLimit => EmailRateLimit;

    public string Render(AlertNotification notification) => EmailRenderer.Render(messages.Build(notification)).ToJson();

    public async Task<DeliveryAnswer> SendAsync(string payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payload);
        if (EmailContent.FromJson(payload) is not { } content)
        {
            return Final(null, "queued payload is not an email");
        }

        using var timeout = new CancellationTokenSource(SendTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        using var client = new SmtpClient { Timeout = (int)SendTimeout.TotalMilliseconds };
        try
        {
            using var message = Message(content);
            await client.ConnectAsync(options.Host, options.Port, SocketOptions(options), linked.Token);
            if (options.Username is { } username)
            {
                await client.AuthenticateAsync(username, options.Password ?? "", linked.Token);
            }

            await client.SendAsync(message, linked.Token);
            await QuitAsync(client, linked.Token);
            return new DeliveryAnswer(true, false, 250, null, "SMTP 250: accepted");
        }
        catch (ParseException)
        {
            return Final(null, "SMTP_SENDER_EMAIL or a recipient is not an address");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Retry(null, $"no answer within {SendTimeout.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s");
        }
        catch (SmtpCommandException exception)
        {
            var status = (int)exception.StatusCode;
            var reason = $"SMTP {status}: {Reason(exception.ErrorCode)}";
            return status is >= 400 and < 500 ? Retry(status, reason) : Final(status, reason);
        }
        catch (SmtpProtocolException)
        {
            return Retry(null, "SMTP protocol error (the connection broke or the server answered out of turn)");
        }
        catch (AuthenticationException)
        {
            return Final(535, "SMTP 535: authentication failed (check SMTP_USERNAME and SMTP_PASSWORD)");
        }
        catch (SslHandshakeException)
        {
            return Retry(null, "TLS handshake with the SMTP server failed (check SMTP_TLS and SMTP_PORT)");
        }
        catch (NotSupportedException)
        {
            // MailKit's answer when SMTP_USERNAME is set and the server offers no AUTH: no retry will change that.
            return Final(null, "the SMTP server offers no authentication (unset SMTP_USERNAME, or turn on SMTP_TLS)");
        }
        catch (SocketException exception)
        {
            return Retry(null, $"cannot reach the SMTP server ({exception.SocketErrorCode})");
        }
        catch (Exception exception) when (exception is IOException or ServiceNotConnectedException or ProtocolException)
        {
            return Retry(null, "the connection to the SMTP server broke");
        }
    }

    // The server has taken the message: a QUIT that fails must not make it send again.
    private static async Task QuitAsync(SmtpClient client, CancellationToken cancellationToken)
    {
        try
        {
            await client.DisconnectAsync(true, cancellationToken);
        }
        catch (Exception exception) when (exception is IOException or SocketException or ProtocolException or CommandException or OperationCanceledException)
        {
            // Delivered all the same.
        }
    }

    private MimeMessage Message(EmailContent content)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(options.Sender));
        foreach (var recipient in options.Recipients)
        {
            message.To.Add(MailboxAddress.Parse(recipient));
        }

        message.Subject = content.Subject;
        message.Date = time.GetUtcNow();
        message.Body = new BodyBuilder { TextBody = content.Text, HtmlBody = content.Html }.ToMessageBody();
        return message;
    }

    /// <summary>TLS from the first byte on 465, STARTTLS elsewhere, none when <c>SMTP_TLS=false</c>.</summary>
    public static SecureSocketOptions SocketOptions(EmailOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return !options.Tls ? SecureSocketOptions.None
            : options.Port == 465 ? SecureSocketOptions.SslOnConnect
            : SecureSocketOptions.StartTls;
    }

    private static string Reason(SmtpErrorCode code) => code switch
    {
        SmtpErrorCode.RecipientNotAccepted => "a recipient was refused",
        SmtpErrorCode.SenderNotAccepted => "the sender address was refused",
        SmtpErrorCode.MessageNotAccepted => "the message was refused",
        _ => "unexpected reply",
    };

    private static DeliveryAnswer Retry(int? status, string description) => new(false, true, status, null, description);

    private static DeliveryAnswer Final(int? status, string description) => new(false, false, status, null, description);
}
