using System.Globalization;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;

namespace LlmGate.Testing;

/// <summary>AWS STS's Query-protocol answers: <c>{Action}Response</c> with its result and request id, and <c>ErrorResponse</c>.</summary>
internal static class StsXml
{
    private static readonly XNamespace Sts = "https://sts.amazonaws.com/doc/2011-06-15/";

    /// <summary>
    /// <c>&lt;{action}Response&gt;&lt;{action}Result&gt;…&lt;Credentials&gt;…&lt;/Credentials&gt;&lt;AssumedRoleUser&gt;…&lt;/{action}Result&gt;
    /// &lt;ResponseMetadata&gt;&lt;RequestId&gt;…</c>; <paramref name="extra"/> are further result members (the web identity's subject…).
    /// </summary>
    public static Task ResultAsync(HttpContext context, string action, FakeAwsCredentials credentials, string assumedRoleArn, string assumedRoleId,
        string requestId, params (string Name, string Value)[] extra)
    {
        var result = new XElement(Sts + $"{action}Result",
            extra.Select(e => new XElement(Sts + e.Name, e.Value)),
            new XElement(Sts + "AssumedRoleUser",
                new XElement(Sts + "Arn", assumedRoleArn),
                new XElement(Sts + "AssumedRoleId", assumedRoleId)),
            new XElement(Sts + "Credentials",
                new XElement(Sts + "AccessKeyId", credentials.AccessKeyId),
                new XElement(Sts + "SecretAccessKey", credentials.SecretAccessKey),
                new XElement(Sts + "SessionToken", credentials.SessionToken),
                new XElement(Sts + "Expiration", credentials.Expiration!.Value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture))));
        return WriteAsync(context, 200, new XElement(Sts + $"{action}Response", result, Metadata(requestId)));
    }

    /// <summary><c>&lt;ErrorResponse&gt;&lt;Error&gt;&lt;Type&gt;Sender&lt;/Type&gt;&lt;Code&gt;…&lt;/Code&gt;&lt;Message&gt;…&lt;/Message&gt;&lt;/Error&gt;&lt;RequestId&gt;…</c>.</summary>
    public static Task ErrorAsync(HttpContext context, int status, string code, string message, string requestId) =>
        WriteAsync(context, status, new XElement(Sts + "ErrorResponse",
            new XElement(Sts + "Error",
                new XElement(Sts + "Type", status >= 500 ? "Receiver" : "Sender"),
                new XElement(Sts + "Code", code),
                new XElement(Sts + "Message", message)),
            new XElement(Sts + "RequestId", requestId)));

    private static XElement Metadata(string requestId) => new(Sts + "ResponseMetadata", new XElement(Sts + "RequestId", requestId));

    private static Task WriteAsync(HttpContext context, int status, XElement root)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/xml";
        return context.Response.WriteAsync(root.ToString(), context.RequestAborted);
    }
}
