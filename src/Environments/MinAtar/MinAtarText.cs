namespace DqnStudy.Environments.MinAtar;

/// <summary>A MinAtar state as ten lines of ten characters, one character per kind of object (see
/// <see cref="Glyphs"/>), '.' for an empty cell; where objects overlap, the highest channel shows, as in
/// MinAtar's display.</summary>
public static class MinAtarText
{
    public const char Empty = '.';

    /// <summary>One character per channel, in channel order.</summary>
    public static string Glyphs(string game) => game switch
    {
        "asterix" => "PE-G",         // player, enemy, trail, gold
        "breakout" => "=Oo#",        // paddle, ball, trail, brick
        "freeway" => "CX12345",      // chicken, car, trails of speed 1..5 (the car moves every 1..5 frames)
        "seaquest" => "Ss*-!FUODd",  // sub front/back, own bullet, trail, enemy bullet, fish, enemy sub, oxygen, diver gauge, diver
        "space_invaders" => "AM<>|!", // cannon, alien, alien moving left/right, own bullet, enemy bullet
        _ => throw new ArgumentException($"unknown MinAtar game '{game}'.", nameof(game)),
    };

    /// <summary>The game's current state.</summary>
    public static string Render(MinAtarGame game)
    {
        ArgumentNullException.ThrowIfNull(game);
        float[] chw = new float[game.ChannelCount * MinAtarGame.Cells];
        game.WriteState(chw);
        return Render(chw, Glyphs(game.Name));
    }

    /// <summary>A (C, 10, 10) observation with one glyph per channel.</summary>
    public static string Render(ReadOnlySpan<float> chw, string glyphs)
    {
        ArgumentNullException.ThrowIfNull(glyphs);
        Span<int> values = stackalloc int[MinAtarGame.Cells];
        MinAtarFrame.CellValues(chw, glyphs.Length, values);
        var text = new System.Text.StringBuilder((MinAtarGame.Size + 1) * MinAtarGame.Size);
        for (int row = 0; row < MinAtarGame.Size; row++)
        {
            for (int col = 0; col < MinAtarGame.Size; col++)
            {
                int value = values[(row * MinAtarGame.Size) + col];
                text.Append(value == 0 ? Empty : glyphs[value - 1]);
            }

            text.Append('\n');
        }

        return text.ToString();
    }
}
