namespace LlmGate.Pricing;

/// <summary>A price file that cannot be used; the message names the file and what is wrong, for the operator.</summary>
internal sealed class PriceTableException : Exception
{
    public PriceTableException()
    {
    }

    public PriceTableException(string message)
        : base(message)
    {
    }

    public PriceTableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
