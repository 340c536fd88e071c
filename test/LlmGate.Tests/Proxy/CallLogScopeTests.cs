using LlmGate.Calls;
using LlmGate.Proxy;

namespace LlmGate.Tests.Proxy;

public sealed class CallLogScopeTests
{
    [Fact]
    public void Read_BeforeAndAfterTheHeaderIsSet_TheCallsOneId()
    {
        var call = new CallTracker([], TimeProvider.System).Start(CallerIdentity.MasterKey);
        var scope = new CallLogScope(call);

        var logged = Assert.Single(scope);
        var header = call.CallId;

        Assert.Equal(CallLogScope.CallIdKey, logged.Key);
        Assert.Equal(header, logged.Value);
        Assert.Equal(header, scope[0].Value);
        Assert.Equal($"CallId:{header}", scope.ToString());
    }

    [Fact]
    public void Read_TwoCalls_EachItsOwnId()
    {
        var calls = new CallTracker([], TimeProvider.System);

        var first = new CallLogScope(calls.Start(CallerIdentity.MasterKey))[0].Value;
        var second = new CallLogScope(calls.Start(CallerIdentity.MasterKey))[0].Value;

        Assert.NotEqual(first, second);
    }
}
