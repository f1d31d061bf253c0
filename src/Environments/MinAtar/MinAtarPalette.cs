namespace DqnStudy.Environments.MinAtar;

/// <summary>The colours MinAtar's own display gives a game's channels: seaborn's <c>color_palette("cubehelix", C)</c>,
/// i.e. matplotlib's "cubehelix" colormap (Green 2011; gamma 1, s 0.5, r −1.5, h 1, a 256-entry table) sampled at
/// <c>linspace(0, 1, C + 2)[1:-1]</c>, with black inserted for empty cells. Bytes are matplotlib's
/// <c>(colour · 255).astype(uint8)</c>, the truncation imshow applies.</summary>
public static class MinAtarPalette
{
    private const int TableSize = 256; // matplotlib's default colormap resolution (N)

    /// <summary>RGB bytes for value 0 (empty, black) .. C (channel C − 1): 3·(C + 1) bytes.</summary>
    public static byte[] Colors(int channels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        byte[] rgb = new byte[3 * (channels + 1)];
        for (int c = 0; c < channels; c++)
        {
            // seaborn's mpl_palette: bins = linspace(0, 1, n + 2)[1:-1]; the colormap then takes int(x * N).
            double x = (c + 1) * (1.0 / (channels + 1));
            int entry = Math.Min((int)(x * TableSize), TableSize - 1);
            double level = entry * (1.0 / (TableSize - 1)); // the table is the helix at linspace(0, 1, N)
            rgb[3 * (c + 1)] = ToByte(Helix(level, -0.14861, 1.78277));
            rgb[(3 * (c + 1)) + 1] = ToByte(Helix(level, -0.29227, -0.90649));
            rgb[(3 * (c + 1)) + 2] = ToByte(Helix(level, 1.97294, 0.0));
        }

        return rgb;
    }

    /// <summary>One channel of the helix (matplotlib's <c>_ch_helper</c> with gamma 1, s 0.5, r −1.5, h 1).</summary>
    private static double Helix(double x, double p0, double p1)
    {
        const double gamma = 1.0, s = 0.5, r = -1.5, h = 1.0;
        double xg = Math.Pow(x, gamma);
        double a = h * xg * (1 - xg) / 2;
        double phi = 2 * Math.PI * ((s / 3) + (r * x));
        return xg + (a * ((p0 * Math.Cos(phi)) + (p1 * Math.Sin(phi))));
    }

    private static byte ToByte(double value) => (byte)(Math.Clamp(value, 0.0, 1.0) * 255);
}
