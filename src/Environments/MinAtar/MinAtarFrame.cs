namespace DqnStudy.Environments.MinAtar;

/// <summary>Draws a MinAtar state as MinAtar's display does: each cell takes the colour of its highest-index true
/// channel (<c>amax(state · (c + 1))</c>), black when empty. Output is RGB24, row-major, top row first, each cell a
/// square of <c>cellPixels</c>: no image library here (PNG encoding lives in the Agent).</summary>
public static class MinAtarFrame
{
    /// <summary>The highest true channel + 1 at each of the 100 cells (0: empty). chw: (C, 10, 10); values: (10, 10).</summary>
    public static void CellValues(ReadOnlySpan<float> chw, int channels, Span<int> values)
    {
        if (chw.Length != channels * MinAtarGame.Cells)
        {
            throw new ArgumentException($"a {channels}-channel state has {channels * MinAtarGame.Cells} values but the span has {chw.Length}.", nameof(chw));
        }

        if (values.Length != MinAtarGame.Cells)
        {
            throw new ArgumentException($"values needs {MinAtarGame.Cells} entries but has {values.Length}.", nameof(values));
        }

        values.Clear();
        for (int c = 0; c < channels; c++)
        {
            ReadOnlySpan<float> plane = chw.Slice(c * MinAtarGame.Cells, MinAtarGame.Cells);
            for (int i = 0; i < MinAtarGame.Cells; i++)
            {
                if (plane[i] != 0f)
                {
                    values[i] = c + 1;
                }
            }
        }
    }

    /// <summary>Bytes <see cref="Render"/> writes for a cell size: (10·cellPixels)² pixels × 3.</summary>
    public static int ByteCount(int cellPixels) => 3 * (MinAtarGame.Size * cellPixels) * (MinAtarGame.Size * cellPixels);

    /// <summary>Writes the frame into rgb (length <see cref="ByteCount"/>) with <paramref name="palette"/>
    /// (<see cref="MinAtarPalette.Colors"/> of the same channel count).</summary>
    public static void Render(ReadOnlySpan<float> chw, int channels, ReadOnlySpan<byte> palette, Span<byte> rgb, int cellPixels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cellPixels);
        if (palette.Length != 3 * (channels + 1))
        {
            throw new ArgumentException($"a {channels}-channel palette has {3 * (channels + 1)} bytes but this one has {palette.Length}.", nameof(palette));
        }

        if (rgb.Length != ByteCount(cellPixels))
        {
            throw new ArgumentException($"a frame of {cellPixels}-pixel cells needs {ByteCount(cellPixels)} bytes but rgb has {rgb.Length}.", nameof(rgb));
        }

        Span<int> values = stackalloc int[MinAtarGame.Cells];
        CellValues(chw, channels, values);
        int width = MinAtarGame.Size * cellPixels;
        for (int y = 0; y < width; y++)
        {
            Span<byte> line = rgb.Slice(3 * width * y, 3 * width);
            int row = y / cellPixels;
            for (int x = 0; x < width; x++)
            {
                palette.Slice(3 * values[(row * MinAtarGame.Size) + (x / cellPixels)], 3).CopyTo(line.Slice(3 * x, 3));
            }
        }
    }
}
