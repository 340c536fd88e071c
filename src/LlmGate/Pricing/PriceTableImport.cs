namespace LlmGate.Pricing;

/// <summary><c>llmgate prices import FILE</c>: checks a LiteLLM price file and puts it where the gateway reads it.</summary>
internal static class PriceTableImport
{
    /// <summary>
    /// Validates <paramref name="sourcePath"/> and writes it unchanged to <c>&lt;dataDirectory&gt;/model_prices.json</c>
    /// through a temporary file and a move, so a gateway starting meanwhile reads the old file or the new one, never half.
    /// </summary>
    /// <returns>The number of models the file prices.</returns>
    /// <exception cref="PriceTableException">The file cannot be read, is not a usable table, or cannot be written.</exception>
    public static int Import(string sourcePath, string dataDirectory)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(sourcePath);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new PriceTableException($"{sourcePath}: cannot read: {exception.Message}", exception);
        }

        var table = PriceTable.Parse(bytes, sourcePath);
        var target = Path.Combine(dataDirectory, ModelPrices.ImportedFileName);
        var temporary = Path.Combine(dataDirectory, $".{ModelPrices.ImportedFileName}.{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(dataDirectory);
            File.WriteAllBytes(temporary, bytes);
            File.Move(temporary, target, overwrite: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }

            throw new PriceTableException($"{target}: cannot write: {exception.Message}", exception);
        }

        return table.Count;
    }
}
