namespace DqnStudy.Agent.Dqn;

/// <summary>
/// Rows of 0/1 floats packed one bit per value, 8 to a byte, value i in bit (i mod 8) of byte i / 8: how the replay
/// buffer keeps MinAtar's boolean (C, 10, 10) states (50 bytes instead of 1,600 for Breakout's four channels).
/// </summary>
public static class BitRows
{
    /// <summary>Bytes one packed row of `values` floats takes.</summary>
    public static int BytesPerRow(int values) => (values + 7) / 8;

    /// <summary>Packs `row` into `packed` (BytesPerRow(row.Length) bytes). Throws when a value is not exactly 0 or 1:
    /// bit storage would silently change it.</summary>
    public static void Pack(ReadOnlySpan<float> row, Span<byte> packed)
    {
        for (int b = 0; b < packed.Length; b++)
        {
            int bits = 0;
            int start = b * 8, end = Math.Min(start + 8, row.Length);
            for (int i = start; i < end; i++)
            {
                float v = row[i];
                if (v == 1f) bits |= 1 << (i - start);
                else if (v != 0f) throw NotBinary(i, v);
            }
            packed[b] = (byte)bits;
        }
    }

    /// <summary>The floats of a row packed by <see cref="Pack"/>; `row` says how many.</summary>
    public static void Unpack(ReadOnlySpan<byte> packed, Span<float> row)
    {
        for (int i = 0; i < row.Length; i++) row[i] = (packed[i >> 3] >> (i & 7)) & 1;
    }

    private static ArgumentException NotBinary(int index, float value) => new(
        $"observation value {index} is {value}, but dqn.replay_observations: bits stores only 0 and 1; use float for this environment.",
        "row");
}
