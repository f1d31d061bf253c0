using DqnStudy.Environments.MinAtar;

namespace DqnStudy.Environments.Tests.MinAtar;

public sealed class MinAtarRenderingTests
{
    [Fact]
    public void PaletteIsMinAtarsCubehelix()
    {
        foreach ((int channels, byte[] rgb) in PaletteKnownAnswers.Palettes)
        {
            Assert.Equal(rgb, MinAtarPalette.Colors(channels));
        }
    }

    [Fact]
    public void EveryGameHasOneGlyphPerChannel()
    {
        foreach (string name in MinAtarGames.Names)
        {
            string glyphs = MinAtarText.Glyphs(name);
            Assert.Equal(MinAtarGames.Create(name).ChannelCount, glyphs.Length);
            Assert.Equal(glyphs.Length, glyphs.Distinct().Count());
            Assert.DoesNotContain(MinAtarText.Empty, glyphs);
        }
    }

    [Fact]
    public void TextShowsTheHighestChannelPerCell()
    {
        var env = (MinAtarEnvironment)EnvironmentRegistry.Make("MinAtar/SpaceInvaders-v1");
        env.Reset(0);
        string expected = string.Concat(Enumerable.Repeat("..<<<<<<..\n", 4)) + string.Concat(Enumerable.Repeat("..........\n", 5)) + ".....A....\n";
        Assert.Equal(expected, MinAtarText.Render(env.Game));

        env.Step(3); // fire (action 3 of the minimal set n l r f): the bullet rises to row 8 at once
        Assert.Equal('|', MinAtarText.Render(env.CurrentObservation, MinAtarText.Glyphs("space_invaders"))[(8 * 11) + 5]);
    }

    [Fact]
    public void FrameColoursEachCellBlockByItsHighestChannel()
    {
        var env = (MinAtarEnvironment)EnvironmentRegistry.Make("MinAtar/Breakout-v0");
        ReadOnlySpan<float> state = env.Reset(1001); // FORMAT.md's breakout random-0: the ball starts at (3, 9)
        const int cell = 3;
        byte[] palette = MinAtarPalette.Colors(4);
        byte[] rgb = new byte[MinAtarFrame.ByteCount(cell)];
        MinAtarFrame.Render(state, 4, palette, rgb, cell);

        byte[] Pixel(int x, int y) => rgb.AsSpan(3 * ((y * 10 * cell) + x), 3).ToArray();
        byte[] Color(int value) => palette.AsSpan(3 * value, 3).ToArray();
        for (int y = 0; y < 10 * cell; y++)
        {
            for (int x = 0; x < 10 * cell; x++)
            {
                int row = y / cell, col = x / cell;
                int expected = row is >= 1 and <= 3 ? 4 // brick (over the ball and its trail at (3, 9))
                    : row == 9 && col == 4 ? 1 : 0;     // paddle, else black
                Assert.Equal(Color(expected), Pixel(x, y));
            }
        }
    }

    [Fact]
    public void FrameRejectsMismatchedBuffers()
    {
        float[] state = new float[400];
        Assert.Throws<ArgumentException>(() => MinAtarFrame.Render(state, 4, MinAtarPalette.Colors(5), new byte[300], 1));
        Assert.Throws<ArgumentException>(() => MinAtarFrame.Render(state, 4, MinAtarPalette.Colors(4), new byte[299], 1));
        Assert.Throws<ArgumentException>(() => MinAtarFrame.Render(state, 5, MinAtarPalette.Colors(5), new byte[300], 1));
    }
}
