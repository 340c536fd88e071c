using Microsoft.AspNetCore.Http;

namespace LlmGate.Ui.Pages;

/// <summary>The create-key form's values as sent: alias, models (comma-separated), max budget in USD.</summary>
public sealed record KeyForm(string Alias, string Models, string MaxBudget)
{
    public static readonly KeyForm Empty = new("", "", "");

    internal static KeyForm Read(IFormCollection form)
    {
        ArgumentNullException.ThrowIfNull(form);
        return new KeyForm(Field(form, "key_alias"), Field(form, "models"), Field(form, "max_budget"));
    }

    private static string Field(IFormCollection form, string name) => form.TryGetValue(name, out var values) ? values.ToString().Trim() : "";
}
