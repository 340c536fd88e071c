namespace LlmGate.Ui.Live;

/// <summary>A fixed ring of <see cref="UiSecond"/>s, one per second of Unix time; a slot is reused when its second comes round again.</summary>
internal sealed class UiSecondRing
{
    private readonly UiSecond[] _slots;

    public UiSecondRing(int seconds)
    {
        _slots = new UiSecond[seconds];
        for (var i = 0; i < seconds; i++)
        {
            _slots[i] = new UiSecond();
        }
    }

    public int Length => _slots.Length;

    /// <summary>The slot to write for <paramref name="second"/>, cleared if it still held an older second; null for a second already overwritten.</summary>
    public UiSecond? ForWrite(long second)
    {
        var slot = _slots[second % _slots.Length];
        var held = Volatile.Read(ref slot.Second);
        if (held == second)
        {
            return slot;
        }

        if (held > second)
        {
            return null; // a writer that stalled for a whole ring: its second is gone
        }

        if (Interlocked.CompareExchange(ref slot.Second, second, held) == held)
        {
            slot.Clear();
        }

        return slot;
    }

    /// <summary>The slot for <paramref name="second"/> if it still holds that second, else null (nothing happened then).</summary>
    public UiSecond? ForRead(long second)
    {
        var slot = _slots[second % _slots.Length];
        return Volatile.Read(ref slot.Second) == second ? slot : null;
    }
}
