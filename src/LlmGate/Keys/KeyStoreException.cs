namespace LlmGate.Keys;

/// <summary>The store could not be reached or refused the operation for a reason that is not the caller's.</summary>
internal sealed class KeyStoreException(string message, Exception? inner = null) : Exception(message, inner);
