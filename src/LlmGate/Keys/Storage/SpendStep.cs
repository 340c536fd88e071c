namespace LlmGate.Keys;

/// <summary>One row update of a spend batch: a conditional reset, or an increment (the batch's increments of one entity summed).</summary>
internal readonly record struct SpendStep(SpendEntityKind Kind, string Id, BudgetReset? Reset, double Amount)
{
    /// <summary>
    /// Every reset and increment of <paramref name="batch"/> in (kind, id) order, an entity's reset before its increment:
    /// replicas that lock rows in the same order cannot deadlock each other (LiteLLM's issue #27989).
    /// </summary>
    public static IReadOnlyList<SpendStep> Order(SpendBatch batch)
    {
        var steps = new List<SpendStep>(batch.Resets.Count + batch.Increments.Count);
        foreach (var reset in batch.Resets)
        {
            steps.Add(new SpendStep(reset.Kind, reset.Id, reset, 0));
        }

        var sums = new Dictionary<(SpendEntityKind, string), double>();
        foreach (var increment in batch.Increments)
        {
            sums[(increment.Kind, increment.Id)] = sums.GetValueOrDefault((increment.Kind, increment.Id)) + increment.Amount;
        }

        foreach (var ((kind, id), amount) in sums)
        {
            steps.Add(new SpendStep(kind, id, null, amount));
        }

        steps.Sort(static (a, b) =>
        {
            var order = a.Kind.CompareTo(b.Kind);
            if (order == 0)
            {
                order = string.CompareOrdinal(a.Id, b.Id);
            }

            return order != 0 ? order : (b.Reset is not null).CompareTo(a.Reset is not null);
        });
        return steps;
    }
}
