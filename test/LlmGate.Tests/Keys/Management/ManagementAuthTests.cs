using System.Net;

namespace LlmGate.Tests.Keys.Management;

public sealed class ManagementAuthTests
{
    public static readonly TheoryData<string, string> AdminRoutes = new()
    {
        { "POST", "/key/generate" },
        { "POST", "/key/update" },
        { "POST", "/key/delete" },
        { "GET", "/key/list" },
        { "POST", "/key/block" },
        { "POST", "/key/unblock" },
        { "POST", "/key/regenerate" },
        { "POST", "/team/new" },
        { "GET", "/team/info?team_id=t1" },
        { "POST", "/team/update" },
        { "POST", "/team/delete" },
        { "POST", "/team/block" },
        { "POST", "/team/unblock" },
        { "GET", "/team/list" },
        { "POST", "/user/new" },
        { "GET", "/user/info?user_id=u1" },
        { "GET", "/spend/logs" },
    };

    [Theory]
    [MemberData(nameof(AdminRoutes))]
    public async Task AdminRoute_CalledWithAVirtualKey_Is401AuthErrorAndChangesNothing(string method, string path)
    {
        await using var host = await ManagementHost.StartAsync();
        var (key, token, _) = await host.GenerateAsync();
        var changes = host.Changes.All.Count;

        var reply = method == "GET"
            ? await host.GetAsync(path, bearer: key)
            : await host.PostAsync(path, $$"""{"key": "{{key}}", "team_id": "t1", "team_ids": ["t1"], "keys": ["{{key}}"]}""", bearer: key);

        Assert.Equal(HttpStatusCode.Unauthorized, reply.Status);
        Assert.Equal("auth_error", reply.ErrorType);
        Assert.StartsWith(
            $"Only proxy admin can be used to generate, delete, update info for new keys/users/teams. Route={path.Split('?')[0]}. Your role=internal_user.",
            reply.ErrorMessage, StringComparison.Ordinal);
        Assert.DoesNotContain(key, reply.Text, StringComparison.Ordinal);
        Assert.Equal(token, Assert.Single((await host.KeysAsync())).Token);
        Assert.Equal(changes, host.Changes.All.Count);
    }

    [Fact]
    public async Task RegenerateInPath_CalledWithAVirtualKey_NamesTheRouteNotTheKey()
    {
        await using var host = await ManagementHost.StartAsync();
        var (key, _, _) = await host.GenerateAsync();

        var reply = await host.PostAsync($"/key/{key}/regenerate", "{}", bearer: key);

        Assert.Equal(HttpStatusCode.Unauthorized, reply.Status);
        Assert.Contains("Route=/key/{key}/regenerate.", reply.ErrorMessage, StringComparison.Ordinal);
        Assert.DoesNotContain(key, reply.Text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(AdminRoutes))]
    public async Task AnyManagementRoute_WithoutAMasterKeyConfigured_SaysToSetOne(string method, string path)
    {
        await using var host = await ManagementHost.StartAsync(withMasterKey: false);

        var reply = method == "GET" ? await host.GetAsync(path, bearer: null) : await host.PostAsync(path, "{}", bearer: null);

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Contains("general_settings.master_key", reply.ErrorMessage, StringComparison.Ordinal);
        Assert.Empty((await host.KeysAsync()));
    }

    [Fact]
    public async Task KeyInfo_WithoutAMasterKeyConfigured_SaysToSetOne()
    {
        await using var host = await ManagementHost.StartAsync(withMasterKey: false);

        var reply = await host.GetAsync("/key/info?key=sk-anything-1", bearer: null);

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Contains("general_settings.master_key", reply.ErrorMessage, StringComparison.Ordinal);
    }
}
