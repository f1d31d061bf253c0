namespace DqnStudy.Environments.MinAtar;

/// <summary>One of Seaquest's Python lists <c>[x, y, moving_right, move_timer, shot_timer]</c> (bullets use the first
/// three, fish and divers four, enemy subs all five; unused fields stay 0, so whole-value equality is Python's
/// list equality).</summary>
internal record struct SeaquestObject(int X, int Y, bool Right, int MoveTimer = 0, int ShotTimer = 0)
{
    public readonly bool OffScreen => X < 0 || X > 9;

    public readonly bool At(int x, int y) => X == x && Y == y;

    /// <summary>One cell along its direction.</summary>
    public void Move() => X += Right ? 1 : -1;
}

/// <summary>A Python list of <see cref="SeaquestObject"/> with the two behaviours MinAtar's Seaquest depends on:
/// <see cref="RemoveValue"/> is <c>list.remove</c> (the first element <em>equal in value</em>, which may be an earlier
/// one than meant), and iteration in reverse follows CPython's <c>reversed(list)</c> (an index that walks down,
/// so an element shifted by a removal before it is visited again). Preallocated; grows only past its capacity.</summary>
internal sealed class SeaquestObjectList
{
    private SeaquestObject[] _items;

    public SeaquestObjectList(int capacity = 64) => _items = new SeaquestObject[capacity];

    public int Count { get; private set; }

    public ref SeaquestObject this[int index] => ref _items[index];

    public ReadOnlySpan<SeaquestObject> AsSpan() => _items.AsSpan(0, Count);

    public void Clear() => Count = 0;

    public void Add(SeaquestObject item)
    {
        if (Count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }

        _items[Count++] = item;
    }

    /// <summary><c>list.remove(value)</c>: removes the first element equal to value; returns its index.</summary>
    public int RemoveValue(SeaquestObject value)
    {
        for (int i = 0; i < Count; i++)
        {
            if (_items[i] == value)
            {
                Array.Copy(_items, i + 1, _items, i, Count - i - 1);
                Count--;
                return i;
            }
        }

        throw new InvalidOperationException("list.remove(x): x not in list"); // unreachable: callers remove a value the list holds
    }

    /// <summary>CPython's <c>reversed(list)</c> step: the next index to visit (start with <see cref="Count"/>),
    /// or -1 when iteration stops (the index fell below 0 or past the end of a list that shrank).</summary>
    public int ReverseNext(ref int cursor)
    {
        int index = cursor - 1;
        if (index >= 0 && index < Count)
        {
            cursor = index;
            return index;
        }

        cursor = -1;
        return -1;
    }
}
