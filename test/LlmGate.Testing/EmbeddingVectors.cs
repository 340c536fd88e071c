using System.Security.Cryptography;
using System.Text;

namespace LlmGate.Testing;

/// <summary>The vectors the fake providers embed a text as: derived from the text alone, so a test can compare.</summary>
internal static class EmbeddingVectors
{
    /// <summary>
    /// The vector for <paramref name="text"/>: each value a multiple of 1/128 in [-1, 1) (exact in float and double,
    /// short in JSON), taken from SHA-256 of the text, then of the text and a block number for longer vectors.
    /// </summary>
    public static float[] Of(string text, int dimensions)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        var values = new float[dimensions];
        for (var block = 0; block * 32 < dimensions; block++)
        {
            var hash = SHA256.HashData(Encoding.UTF8.GetBytes(block == 0 ? text : $"{text}\u0000{block}"));
            for (var i = 0; i < 32 && block * 32 + i < dimensions; i++)
            {
                values[block * 32 + i] = (hash[i] - 128) / 128f;
            }
        }

        return values;
    }
}
