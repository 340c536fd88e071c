using System.Collections;
using LlmGate.Calls;

namespace LlmGate.Proxy;

/// <summary>
/// The log scope of one call (pushed only with <c>json_logs</c>): its <c>x-litellm-call-id</c> under <see cref="CallIdKey"/>.
/// The id is read from the call when a log line asks for it, so a call that logs nothing never makes one, and the
/// id in the log is the one the client gets (the same <see cref="CallContext.CallId"/>, made once).
/// </summary>
internal sealed class CallLogScope(CallContext call) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public const string CallIdKey = "CallId";

    public int Count => 1;

    public KeyValuePair<string, object?> this[int index] =>
        index == 0 ? new(CallIdKey, call.CallId) : throw new ArgumentOutOfRangeException(nameof(index));

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        yield return this[0];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => $"{CallIdKey}:{call.CallId}";
}
