using System.Security.Cryptography;
using System.Text;
using LlmGate.Auth;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace LlmGate.Keys;

/// <summary>The <c>/key/*</c> routes: generate, info, update, delete, list, block, unblock, regenerate.</summary>
internal static class KeyHandlers
{
    // LiteLLM records keys the master key made as made by its default admin user.
    private const string MasterKeyCreator = "default_user_id";

    public static async Task<IResult> GenerateAsync(ManagementCall call)
    {
        var body = await call.ReadBodyAsync();
        var fields = KeyFields.Read(body);
        var plaintext = NewKeyValue(call, body, "key");
        await call.RequireTeamAsync(fields.TeamId.Value);

        var now = call.Now;
        var key = fields.ApplyTo(new VirtualKey
        {
            Token = KeyHashes.Of(plaintext),
            KeyName = GeneratedKeys.NameOf(plaintext),
            CreatedAt = now,
            CreatedBy = MasterKeyCreator,
        }, now);
        key = key with
        {
            Spend = fields.Spend.Value ?? 0,
            // LiteLLM gives every key a user when none is named.
            UserId = key.UserId ?? Guid.NewGuid().ToString(),
        };
        await call.RequireFreeAliasAsync(key.KeyAlias, ownToken: null);

        await call.Store.CreateKeyAsync(key, call.Aborted);
        call.Changed(SpendEntityKind.Key, key.Token);
        KeyManagementLog.KeyCreated(call.Logger, key.KeyName, key.KeyAlias, key.TeamId);
        return Results.Json(KeyView.Of(key, plaintext, UnsupportedFields.EchoOf(body)), KeyManagementJsonContext.Default.KeyView);
    }

    public static async Task<IResult> InfoAsync(ManagementCall call)
    {
        var requested = call.Query("key");
        string token;
        if (call.IsAdmin)
        {
            token = requested is not null
                ? KeyHashes.TokenOf(requested)
                : throw ManagementException.BadRequest("key is required: the master key is not a virtual key. Pass ?key=sk-... or the key's hash.", "key");
        }
        else
        {
            token = call.Caller?.KeyHash ?? throw ManagementException.NotFound("Key not found.", "key");
            if (requested is not null && !SameToken(KeyHashes.TokenOf(requested), token))
            {
                // The same answer whether the other key exists or not, so a key cannot probe for others.
                throw new ManagementException(StatusCodes.Status403Forbidden,
                    "A virtual key may read only its own info: call /key/info without ?key=, or use the master key.", "auth_error", "key");
            }
        }

        var key = await call.Store.FindKeyAsync(token, call.Aborted) ?? throw ManagementException.NotFound("Key not found.", "key");
        return Results.Json(new KeyInfoResponse(key.Token, KeyView.Of(key)), KeyManagementJsonContext.Default.KeyInfoResponse);
    }

    public static async Task<IResult> UpdateAsync(ManagementCall call)
    {
        var body = await call.ReadBodyAsync();
        var fields = KeyFields.Read(body);
        var existing = await FindRequiredAsync(call, body);
        await call.RequireTeamAsync(fields.TeamId.Value);

        var updated = fields.ApplyTo(existing, call.Now);
        await call.RequireFreeAliasAsync(updated.KeyAlias, updated.Token);
        updated = await SaveAsync(call, updated, fields);
        call.Changed(SpendEntityKind.Key, updated.Token);
        return Results.Json(KeyView.Of(updated, echoed: UnsupportedFields.EchoOf(body)), KeyManagementJsonContext.Default.KeyView);
    }

    public static async Task<IResult> DeleteAsync(ManagementCall call)
    {
        var body = await call.ReadBodyAsync();
        var keys = body.Strings("keys").Value ?? [];
        var aliases = body.Strings("key_aliases").Value ?? [];
        if (keys.Count == 0 && aliases.Count == 0)
        {
            throw ManagementException.BadRequest("Send keys or key_aliases: the keys to delete.", "keys");
        }

        var tokens = new List<string>();
        var missing = 0;
        foreach (var token in keys.Select(KeyHashes.TokenOf))
        {
            if (await call.Store.FindKeyAsync(token, call.Aborted) is null)
            {
                missing++;
            }

            tokens.Add(token);
        }

        foreach (var alias in aliases)
        {
            if (await call.Store.FindKeyByAliasAsync(alias, call.Aborted) is { } key)
            {
                tokens.Add(key.Token);
            }
            else
            {
                missing++;
            }
        }

        if (missing > 0)
        {
            // All or nothing, so a typo in one name does not leave the caller guessing which keys are gone.
            throw ManagementException.NotFound(
                $"Failed to delete all keys: {missing} of {keys.Count + aliases.Count} not found, so none were deleted.", "keys");
        }

        var deleted = await call.Store.DeleteKeysAsync(tokens.Distinct(StringComparer.Ordinal).ToArray(), call.Aborted);
        foreach (var token in deleted)
        {
            call.Changed(SpendEntityKind.Key, token);
        }

        KeyManagementLog.KeysDeleted(call.Logger, deleted.Count);
        return Results.Json(new DeletedKeysResponse(deleted), KeyManagementJsonContext.Default.DeletedKeysResponse);
    }

    public static async Task<IResult> ListAsync(ManagementCall call)
    {
        var size = call.QueryInt("size", 10, 1, 100);
        var page = call.QueryInt("page", 1, 1, int.MaxValue);
        var query = new KeyListQuery
        {
            Page = page,
            Size = size,
            UserId = call.Query("user_id"),
            TeamId = call.Query("team_id"),
            KeyAlias = call.Query("key_alias"),
            KeyHash = call.Query("key_hash") is { } hash ? KeyHashes.TokenOf(hash) : null,
        };
        var full = call.QueryBool("return_full_object");
        var result = await call.Store.ListKeysAsync(query, call.Aborted);
        var totalPages = (result.TotalCount + size - 1) / size;
        return full
            ? Results.Json(
                new KeyListFullResponse(result.Keys.Select(k => KeyView.Of(k)).ToArray(), result.TotalCount, page, totalPages),
                KeyManagementJsonContext.Default.KeyListFullResponse)
            : Results.Json(
                new KeyListResponse(result.Keys.Select(k => k.Token).ToArray(), result.TotalCount, page, totalPages),
                KeyManagementJsonContext.Default.KeyListResponse);
    }

    public static Task<IResult> BlockAsync(ManagementCall call) => SetBlockedAsync(call, blocked: true);

    public static Task<IResult> UnblockAsync(ManagementCall call) => SetBlockedAsync(call, blocked: false);

    /// <summary>A new <c>sk-</c> value for the same record; the old value stops working at once (no grace period).</summary>
    public static async Task<IResult> RegenerateAsync(ManagementCall call, string? keyInPath)
    {
        var body = await call.ReadBodyAsync();
        var fields = KeyFields.Read(body);
        if (call.Services.GetService<SpendWriter>() is { } writer)
        {
            // The spend of the key's last calls, still held in memory, is written under the old hash before the key is
            // read and renamed: held any longer, it would be written to a hash that no longer exists.
            await writer.FlushNowAsync(call.Aborted);
        }

        var existing = keyInPath is not null
            ? await call.Store.FindKeyAsync(KeyHashes.TokenOf(keyInPath), call.Aborted) ?? throw ManagementException.NotFound("Key not found.", "key")
            : await FindRequiredAsync(call, body);
        var plaintext = NewKeyValue(call, body, "new_key");
        await call.RequireTeamAsync(fields.TeamId.Value);

        await call.RequireFreeAliasAsync(fields.ApplyTo(existing, call.Now).KeyAlias, existing.Token);
        var renamed = existing with { Token = KeyHashes.Of(plaintext), KeyName = GeneratedKeys.NameOf(plaintext) };
        if (!await call.Store.ReplaceKeyTokenAsync(existing.Token, renamed.Token, renamed.KeyName, call.Aborted))
        {
            throw ManagementException.NotFound("Key not found.", "key");
        }

        call.Changed(SpendEntityKind.Key, existing.Token);
        var updated = await SaveAsync(call, fields.ApplyTo(renamed, call.Now), fields);
        call.Changed(SpendEntityKind.Key, updated.Token);
        KeyManagementLog.KeyRegenerated(call.Logger, existing.KeyName, updated.KeyName);
        return Results.Json(KeyView.Of(updated, plaintext, UnsupportedFields.EchoOf(body)), KeyManagementJsonContext.Default.KeyView);
    }

    private static async Task<IResult> SetBlockedAsync(ManagementCall call, bool blocked)
    {
        var body = await call.ReadBodyAsync();
        var existing = await FindRequiredAsync(call, body);
        var updated = existing with { Blocked = blocked, UpdatedAt = call.Now };
        if (!await call.Store.UpdateKeyAsync(updated, call.Aborted))
        {
            throw ManagementException.NotFound("Key not found.", "key");
        }

        call.Changed(SpendEntityKind.Key, updated.Token);
        return Results.Json(KeyView.Of(updated), KeyManagementJsonContext.Default.KeyView);
    }

    private static async Task<VirtualKey> FindRequiredAsync(ManagementCall call, JsonBody body)
    {
        var named = body.String("key").Value ?? throw ManagementException.BadRequest("key is required: the sk-... key or its hash.", "key");
        return await call.Store.FindKeyAsync(KeyHashes.TokenOf(named), call.Aborted)
            ?? throw ManagementException.NotFound("Key not found.", "key");
    }

    private static async Task<VirtualKey> SaveAsync(ManagementCall call, VirtualKey key, KeyFields fields)
    {
        if (!await call.Store.UpdateKeyAsync(key, call.Aborted))
        {
            throw ManagementException.NotFound("Key not found.", "key");
        }

        if (fields.Spend.Present)
        {
            var spend = fields.Spend.Value ?? 0;
            await call.Store.SetKeySpendAsync(key.Token, spend, call.Aborted);
            key = key with { Spend = spend };
        }

        return key;
    }

    /// <summary>The caller's own <c>sk-</c> value from <paramref name="field"/>, or a generated one.</summary>
    private static string NewKeyValue(ManagementCall call, JsonBody body, string field)
    {
        if (body.String(field).Value is not { } custom)
        {
            return GeneratedKeys.New(call.Options.GeneratedKeyBytes);
        }

        // The message never repeats the value: it may be a real secret pasted into the wrong field.
        if (!custom.StartsWith("sk-", StringComparison.Ordinal) || custom.Length < 8 || custom.Any(char.IsWhiteSpace))
        {
            throw ManagementException.BadRequest(
                $"Invalid key format. LiteLLM Virtual Key must start with 'sk-' and be at least 8 characters without spaces ({field}).", field);
        }

        // A virtual key equal to the master key would be let in as the master key (compared as the middleware compares).
        if (call.Snapshot.Config.MasterKey is { } master && SecretComparison.FixedTimeEquals(custom, master))
        {
            throw ManagementException.BadRequest($"{field} cannot be the master key.", field);
        }

        return custom;
    }

    private static bool SameToken(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(a), Encoding.ASCII.GetBytes(b));
}
