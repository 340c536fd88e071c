using LlmGate.OpenAi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LlmGate.Messages;

/// <summary>Sets <see cref="MessagesRoute"/> on the Messages routes before anything (the key check) can answer with an error.</summary>
internal static class MessagesErrorShape
{
    public static IApplicationBuilder UseMessagesErrorShape(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            if (IsMessagesRoute(context.Request.Path))
            {
                context.Features.Set(MessagesRoute.Instance);
            }

            return next(context);
        });

    public static bool IsMessagesRoute(PathString path) =>
        path.StartsWithSegments("/v1/messages", StringComparison.OrdinalIgnoreCase)
        || path.StartsWithSegments("/anthropic/v1/messages", StringComparison.OrdinalIgnoreCase);
}
