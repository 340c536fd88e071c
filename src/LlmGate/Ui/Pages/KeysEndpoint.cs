using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlmGate.Configuration;
using LlmGate.Keys;
using LlmGate.OpenAi;
using LlmGate.Routing;
using LlmGate.Ui.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;

namespace LlmGate.Ui.Pages;

/// <summary>
/// <c>/ui/keys</c>: virtual keys and spend. Creating, blocking and deleting run the management API's own handlers
/// (<see cref="KeyHandlers"/>: the same checks, store writes and cache changes) on the form's fields.
/// </summary>
internal static class KeysEndpoint
{
    public const string Path = "/ui/keys";

    /// <summary>Keys listed on the page; the API's <c>/key/list</c> pages through more.</summary>
    public const int ListedKeys = 100;

    public const string KeysOffReason =
        "Virtual keys are off: they need a master key. Set general_settings.master_key (or the LITELLM_MASTER_KEY environment variable) and restart; keys and spend are then kept in SQLite under --data-dir, or in PostgreSQL when general_settings.database_url (DATABASE_URL) is set.";

    public static async Task<IResult> GetAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var model = await BuildAsync(context.RequestServices, KeyForm.Empty, error: null, PageStatus.Of(context), newKey: null, context.RequestAborted);
        return Render(context, model);
    }

    /// <summary>Creates the key and answers with the page that shows it, once: never a redirect, so it is in no URL.</summary>
    public static async Task<IResult> CreateAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!await UiForms.IsValidAsync(context))
        {
            return Results.BadRequest();
        }

        if (!KeysOn(context.RequestServices))
        {
            return PageStatus.Redirect(Path, "keys-off");
        }

        var form = KeyForm.Read(await context.Request.ReadFormAsync(context.RequestAborted));
        var (key, error) = await CreateKeyAsync(context, form);
        var model = await BuildAsync(context.RequestServices, key is null ? form : KeyForm.Empty, error, status: key is null ? null : "Key created.", key, context.RequestAborted);
        return Render(context, model, key is null ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK);
    }

    /// <summary><c>POST /ui/keys/{action}</c> with the row's <c>key</c> (its token): block, unblock or delete.</summary>
    public static async Task<IResult> ActAsync(HttpContext context)
    {
        var action = context.RouteValue("action");
        ArgumentNullException.ThrowIfNull(context);
        if (!await UiForms.IsValidAsync(context))
        {
            return Results.BadRequest();
        }

        if (action is not ("block" or "unblock" or "delete"))
        {
            return Results.NotFound();
        }

        if (!KeysOn(context.RequestServices))
        {
            return PageStatus.Redirect(Path, "keys-off");
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var token = form.TryGetValue("key", out var values) ? values.ToString() : "";
        var error = action == "delete" ? await DeleteKeyAsync(context, token) : await SetBlockedAsync(context, token, action == "block");
        if (error is not null)
        {
            var model = await BuildAsync(context.RequestServices, KeyForm.Empty, error, status: null, newKey: null, context.RequestAborted);
            return Render(context, model, StatusCodes.Status400BadRequest);
        }

        return PageStatus.Redirect(Path, action switch { "block" => "key-blocked", "unblock" => "key-unblocked", _ => "key-deleted" });
    }

    /// <summary>The new key's value, or null with what is wrong. Runs <see cref="KeyHandlers.GenerateAsync"/>.</summary>
    public static async Task<(string? Key, string? Error)> CreateKeyAsync(HttpContext context, KeyForm form)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(form);
        var fields = new JsonObject();
        if (form.Alias.Length > 0)
        {
            fields["key_alias"] = form.Alias;
        }

        if (form.Models.Length > 0)
        {
            fields["models"] = new JsonArray([.. form.Models.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(m => (JsonNode?)JsonValue.Create(m))]);
        }

        if (form.MaxBudget.Length > 0)
        {
            if (!double.TryParse(form.MaxBudget, NumberStyles.Float, CultureInfo.InvariantCulture, out var budget) || !double.IsFinite(budget))
            {
                return (null, "max_budget must be a number of USD, e.g. 25 or 12.50");
            }

            fields["max_budget"] = budget;
        }

        var (result, error) = await RunAsync(context, fields, KeyHandlers.GenerateAsync);
        return result is IValueHttpResult<KeyView> { Value.Key: { } key } ? (key, null) : (null, error ?? "the key was not created");
    }

    /// <summary>Blocks or unblocks the key with <paramref name="token"/>; null when done, else why not.</summary>
    public static async Task<string?> SetBlockedAsync(HttpContext context, string token, bool blocked)
    {
        var (_, error) = await RunAsync(context, new JsonObject { ["key"] = token }, blocked ? KeyHandlers.BlockAsync : KeyHandlers.UnblockAsync);
        return error;
    }

    /// <summary>Deletes the key with <paramref name="token"/>; null when done, else why not.</summary>
    public static async Task<string?> DeleteKeyAsync(HttpContext context, string token)
    {
        var (_, error) = await RunAsync(context, new JsonObject { ["keys"] = new JsonArray(token) }, KeyHandlers.DeleteAsync);
        return error;
    }

    /// <summary>The page's data: the keys (first <see cref="ListedKeys"/>) and one spend-log query for the report.</summary>
    public static async Task<KeysModel> BuildAsync(IServiceProvider services, KeyForm form, string? error, string? status, string? newKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (!KeysOn(services))
        {
            return KeysModel.Off(KeysOffReason);
        }

        var store = services.GetRequiredService<IKeyStore>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        try
        {
            var page = await store.ListKeysAsync(new KeyListQuery { Page = 1, Size = ListedKeys }, cancellationToken);
            var rows = await store.QuerySpendLogsAsync(new SpendLogQuery { StartTime = SpendReports.Since(now), Limit = SpendReports.MaxRows }, cancellationToken);
            var names = page.Keys.ToDictionary(k => k.Token, k => k.KeyName, StringComparer.Ordinal);
            return new KeysModel(
                null,
                [.. page.Keys.Select(k => new KeyRow(k.Token, k.KeyName, k.KeyAlias, k.TeamId, k.Models, k.Spend, k.Limits.MaxBudget, k.Blocked, k.Expires))],
                page.TotalCount,
                form,
                error,
                status,
                newKey,
                SpendReports.Build(rows, names, truncated: rows.Count >= SpendReports.MaxRows));
        }
        catch (KeyStoreException)
        {
            // The store's own message may name a host or a file; the page says only what on-call needs.
            return new KeysModel(null, [], 0, form, error ?? $"The {store.Kind} database that holds keys and spend is unavailable; try again shortly.", status, newKey, null);
        }
    }

    private static bool KeysOn(IServiceProvider services) =>
        services.GetRequiredService<GatewaySnapshotSource>().Current.Config.MasterKey is not null && services.GetService<IKeyStore>() is not null;

    // Runs a management handler on the form's fields; a refusal becomes the text the API would have answered.
    private static async Task<(IResult? Result, string? Error)> RunAsync(HttpContext context, JsonObject fields, Func<ManagementCall, Task<IResult>> handler)
    {
        using var document = JsonDocument.Parse(fields.ToJsonString());
        var call = ManagementCall.ForConsole(context, Path, new JsonBody(document.RootElement.Clone()));
        try
        {
            return (await handler(call), null);
        }
        catch (ManagementException exception)
        {
            return (null, exception.Message);
        }
        catch (KeyStoreConflictException exception)
        {
            return (null, exception.Message);
        }
        catch (KeyStoreException)
        {
            return (null, $"The {call.Store.Kind} database that holds keys is unavailable; try again shortly.");
        }
    }

    private static RazorComponentResult<KeysPage> Render(HttpContext context, KeysModel model, int statusCode = StatusCodes.Status200OK)
    {
        var result = UiPages.Render<KeysPage>(context, new Dictionary<string, object?>
        {
            [nameof(KeysPage.Page)] = UiPages.Context(context, "keys", "Keys & spend"),
            [nameof(KeysPage.Model)] = model,
        });
        result.StatusCode = statusCode;
        return result;
    }
}
