using System.Globalization;
using LlmGate.Calls;
using LlmGate.OpenAi;
using LlmGate.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LlmGate.Keys;

/// <summary>
/// One management request: who may call the route is checked before its handler runs, and every refusal the handler
/// or the store raises becomes LiteLLM's error body, never a stack trace.
/// </summary>
internal sealed class ManagementCall
{
    // Set when the fields come from elsewhere than the request's JSON body (the console's forms).
    private readonly JsonBody? _body;

    private ManagementCall(HttpContext context, string route, CallerIdentity? caller, JsonBody? body = null)
    {
        Context = context;
        Route = route;
        Caller = caller;
        Services = context.RequestServices;
        _body = body;
    }

    public HttpContext Context { get; }

    /// <summary>The route's template (<c>/key/{key}/regenerate</c>), never the path, which may hold a key.</summary>
    public string Route { get; }

    public CallerIdentity? Caller { get; }

    public bool IsAdmin => Caller?.Kind == CallerKind.MasterKey;

    public IServiceProvider Services { get; }

    public IKeyStore Store => Services.GetRequiredService<IKeyStore>();

    public GatewaySnapshot Snapshot => Services.GetRequiredService<GatewaySnapshotSource>().Current;

    public KeyManagementOptions Options => Services.GetService<KeyManagementOptions>() ?? KeyManagementOptions.Default;

    public DateTimeOffset Now => Services.GetRequiredService<TimeProvider>().GetUtcNow();

    public CancellationToken Aborted => Context.RequestAborted;

    public ILogger Logger => Services.GetRequiredService<ILoggerFactory>().CreateLogger("LlmGate.Keys");

    public static async Task RunAsync(HttpContext context, string route, ManagementAccess access, Func<ManagementCall, Task<IResult>> handler)
    {
        var call = new ManagementCall(context, route, context.Features.Get<CallerIdentity>());
        IResult result;
        try
        {
            call.Authorize(access);
            result = await handler(call);
        }
        catch (ManagementException e)
        {
            await OpenAiError.WriteAsync(context, e.Status, e.Message, e.Type, e.Param);
            return;
        }
        catch (KeyStoreConflictException e)
        {
            await OpenAiError.WriteAsync(context, StatusCodes.Status400BadRequest, e.Message, "bad_request_error");
            return;
        }
        catch (KeyStoreException e)
        {
            // The store's own message may name a host or a file; the client is told only what it needs to retry.
            var kind = context.RequestServices.GetService<IKeyStore>()?.Kind ?? "key";
            KeyManagementLog.StoreUnavailable(call.Logger, route, kind, e);
            await OpenAiError.WriteAsync(context, StatusCodes.Status503ServiceUnavailable,
                $"The {kind} database that holds keys, teams and spend is unavailable, so {route} could not run. Try again shortly.",
                "service_unavailable");
            return;
        }

        await result.ExecuteAsync(context);
    }

    public Task<JsonBody> ReadBodyAsync() => _body is not null ? Task.FromResult(_body) : JsonBody.ReadAsync(Context, Snapshot.Config.MaxRequestBodyBytes, Aborted);

    /// <summary>
    /// A call the operations console makes for its signed-in admin with <paramref name="body"/> as the fields, so the
    /// console runs the same handlers (checks, store writes, cache changes) as the API. Authorisation is the console's.
    /// </summary>
    public static ManagementCall ForConsole(HttpContext context, string route, JsonBody body)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(body);
        return new ManagementCall(context, route, caller: null, body);
    }

    public string? Query(string name) => Context.Request.Query.TryGetValue(name, out var values) && values.Count > 0 && values[0] is { Length: > 0 } value
        ? value
        : null;

    public int QueryInt(string name, int fallback, int min, int max)
    {
        if (Query(name) is not { } text)
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw ManagementException.BadRequest($"{name} must be a whole number from {min} to {max}. Received: {text}", name);
    }

    public bool QueryBool(string name) => Query(name) switch
    {
        null => false,
        var text when bool.TryParse(text, out var value) => value,
        var text => throw ManagementException.BadRequest($"{name} must be true or false. Received: {text}", name),
    };

    /// <summary>Tells this replica's caches and the other replicas at once, after the store has the change.</summary>
    public void Changed(SpendEntityKind kind, string id) => Services.GetRequiredService<IKeyChanges>().Changed(new EntityChange(kind, id));

    public async Task RequireTeamAsync(string? teamId)
    {
        if (teamId is not null && await Store.FindTeamAsync(teamId, Aborted) is null)
        {
            throw ManagementException.BadRequest(
                $"Team doesn't exist in db. Team={teamId}. Create team via `/team/new` call.", "team_id");
        }
    }

    /// <summary>
    /// LiteLLM's message for an alias in use; the store's unique index still refuses the one a concurrent request takes
    /// between this check and the write.
    /// </summary>
    public async Task RequireFreeAliasAsync(string? alias, string? ownToken)
    {
        if (alias is not null && await Store.FindKeyByAliasAsync(alias, Aborted) is { } holder && holder.Token != ownToken)
        {
            throw ManagementException.BadRequest(
                $"Key with alias '{alias}' already exists. Unique key aliases across all keys are required.", "key_alias");
        }
    }

    /// <summary>Every key that matches, page by page (a team's or a user's keys).</summary>
    public async Task<IReadOnlyList<VirtualKey>> AllKeysAsync(KeyListQuery query)
    {
        var keys = new List<VirtualKey>();
        for (var page = 1; ; page++)
        {
            var result = await Store.ListKeysAsync(query with { Page = page, Size = 100 }, Aborted);
            keys.AddRange(result.Keys);
            if (result.Keys.Count < 100 || keys.Count >= result.TotalCount)
            {
                return keys;
            }
        }
    }

    private void Authorize(ManagementAccess access)
    {
        if (access == ManagementAccess.AnyCaller)
        {
            return;
        }

        if (Snapshot.Config.MasterKey is null)
        {
            throw ManagementException.BadRequest(
                $"Virtual keys, teams and users need a master key: set general_settings.master_key (or LITELLM_MASTER_KEY) in the config and call {Route} with it.");
        }

        if (IsAdmin || (access == ManagementAccess.AdminOrOwnKey && Caller?.Kind == CallerKind.VirtualKey))
        {
            return;
        }

        throw new ManagementException(StatusCodes.Status401Unauthorized,
            $"Only proxy admin can be used to generate, delete, update info for new keys/users/teams. Route={Route}. Your role=internal_user. Call it with the master key.",
            "auth_error", "None");
    }
}
