using Microsoft.AspNetCore.Http;

namespace LlmGate.Testing;

/// <summary>
/// Bedrock's errors (rest-json): the status of the exception, <c>x-amzn-ErrorType: {Name}:http://internal.amazon.com/coral/{namespace}/</c>
/// and the body <c>{"message":…}</c>. Bedrock's own exceptions are in <c>com.amazon.bedrock</c>; authentication's
/// (<c>InvalidSignatureException</c>, <c>UnrecognizedClientException</c>, <c>ExpiredTokenException</c>…) in <c>com.amazon.coral.service</c>.
/// </summary>
internal static class BedrockError
{
    public const string Validation = "ValidationException";

    private const string BedrockNamespace = "com.amazon.bedrock";
    private const string CoralNamespace = "com.amazon.coral.service";

    /// <summary>The exception Bedrock answers a status with, and its words.</summary>
    public static (string Name, string Message) ForStatus(int status) => status switch
    {
        400 => (Validation, "Input is too long for requested model."),
        403 => ("AccessDeniedException", "You don't have access to the model with the specified model ID."),
        404 => ("ResourceNotFoundException", "Could not resolve the foundation model from the provided model identifier."),
        408 => ("ModelTimeoutException", "Model has timed out in processing the request. Try your request again."),
        424 => ("ModelErrorException", "The system encountered an unexpected error during processing. Try your request again."),
        429 => ("ThrottlingException", "Too many requests, please wait before trying again."),
        503 => ("ServiceUnavailableException", "Bedrock is unable to process your request."),
        _ => ("InternalServerException", "The server encountered an internal error while processing the request."),
    };

    /// <summary>A Bedrock exception (<c>com.amazon.bedrock</c>).</summary>
    public static Task WriteAsync(HttpContext context, int status, string name, string message) => WriteAsync(context, status, name, BedrockNamespace, message);

    /// <summary>The 400 <c>ValidationException</c> of a request Bedrock will not take.</summary>
    public static Task ValidationAsync(HttpContext context, string message) => WriteAsync(context, 400, Validation, message);

    /// <summary>The 403 of a refused authentication, in the words of the coral service framework.</summary>
    public static Task AuthAsync(HttpContext context, AwsAuthFailure failure) => WriteAsync(context, 403, failure.Kind switch
    {
        AwsAuthFailureKind.Missing => "MissingAuthenticationTokenException",
        AwsAuthFailureKind.Incomplete => "IncompleteSignatureException",
        AwsAuthFailureKind.UnknownCredentials => "UnrecognizedClientException",
        AwsAuthFailureKind.ExpiredToken => "ExpiredTokenException",
        _ => "InvalidSignatureException",
    }, CoralNamespace, failure.Message);

    private static Task WriteAsync(HttpContext context, int status, string name, string ns, string message)
    {
        context.Response.StatusCode = status;
        context.Response.Headers["x-amzn-ErrorType"] = $"{name}:http://internal.amazon.com/coral/{ns}/";
        return context.Response.WriteAsJsonAsync(new { message });
    }
}
