using System.Buffers;
using MimeKit;
using SmtpServer;
using SmtpServer.Mail;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace LlmGate.Testing;

/// <summary>The fake's end of DATA: answers what <see cref="FakeSmtpServer"/> was told to, else parses and keeps the message.</summary>
internal sealed class FakeSmtpServerStore(FakeSmtpServer server) : MessageStore
{
    public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
    {
        if (server.TakeScriptedReply() is { } reply)
        {
            return new SmtpResponse((SmtpReplyCode)reply, reply >= 500 ? "5.7.1 Message rejected" : "4.3.0 Try again later");
        }

        using var stream = new MemoryStream(buffer.ToArray());
        var message = await MimeMessage.LoadAsync(stream, cancellationToken);
        var user = context.Authentication.IsAuthenticated ? context.Authentication.User : null;
        server.Record(new FakeSmtpServerMessage(Address(transaction.From), [.. transaction.To.Select(Address)], user, message));
        return SmtpResponse.Ok;
    }

    private static string Address(IMailbox mailbox) => mailbox.AsAddress();
}
