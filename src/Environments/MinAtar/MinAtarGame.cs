namespace DqnStudy.Environments.MinAtar;

/// <summary>One MinAtar game (the <c>Env</c> class of <c>minatar/environments/&lt;name&gt;.py</c>): integer state,
/// <see cref="Reset"/> and <see cref="Act"/> drawing from <see cref="Random"/>, and the 10×10×C boolean state
/// written channels-first. Acting on a finished episode returns (0, true) and changes nothing, as in MinAtar.</summary>
public abstract class MinAtarGame
{
    public const int Size = 10;
    public const int Cells = Size * Size;

    private readonly string[] _channels;
    private readonly int[] _minimalActions;

    private protected MinAtarGame(string name, string[] channels, int[] minimalActions, bool ramping)
    {
        Name = name;
        _channels = channels;
        _minimalActions = minimalActions;
        Ramping = ramping;
    }

    /// <summary>MinAtar's module name: asterix, breakout, freeway, seaquest or space_invaders.</summary>
    public string Name { get; }

    /// <summary>Channel names in channel-index order (MinAtar's <c>channels</c> dict).</summary>
    public IReadOnlyList<string> Channels => _channels;

    public int ChannelCount => _channels.Length;

    /// <summary>MinAtar's <c>minimal_action_set()</c>: indices into the full six actions.</summary>
    public ReadOnlySpan<int> MinimalActionSet => _minimalActions;

    /// <summary>MinAtar's <c>difficulty_ramping</c> (ignored by breakout and freeway, which never ramp).</summary>
    public bool Ramping { get; }

    /// <summary>The source the game draws from; the environment shares its own with the game, as MinAtar's
    /// <c>Environment.seed</c> does.</summary>
    public IRandomSource Random { get; set; } = new NumpyRandomState();

    public bool Terminal { get; private protected set; }

    /// <summary>MinAtar's <c>difficulty_ramp()</c>: the ramp index, or null for games that do not ramp.</summary>
    public virtual int? DifficultyRamp => null;

    /// <summary>Starts a new episode (draws from <see cref="Random"/> as MinAtar's <c>reset()</c> does).</summary>
    public abstract void Reset();

    /// <summary>MinAtar's <c>act(a)</c> with a in 0..5 (see <see cref="MinAtarAction"/>): the reward and whether
    /// the episode is over. Actions a game does not use are no-ops.</summary>
    public (int Reward, bool Terminal) Act(int action)
    {
        if ((uint)action >= MinAtarActions.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(action), action, $"{Name}: a MinAtar action is 0..5 ({MinAtarActions.Letters}) but was {action}.");
        }

        if (Terminal)
        {
            return (0, true);
        }

        int reward = Advance((MinAtarAction)action);
        return (reward, Terminal);
    }

    /// <summary>Writes MinAtar's <c>state()</c> channels-first: chw[c·100 + row·10 + col] is 1 where
    /// <c>state()[row, col, c]</c> is true, else 0. chw: (C, 10, 10).</summary>
    public void WriteState(Span<float> chw)
    {
        if (chw.Length != ChannelCount * Cells)
        {
            throw new ArgumentException($"{Name}: the state needs {ChannelCount * Cells} floats ({ChannelCount}×10×10) but the span has {chw.Length}.", nameof(chw));
        }

        chw.Clear();
        DrawState(chw);
    }

    /// <summary>One step on a running episode; sets <see cref="Terminal"/>; returns the reward.</summary>
    private protected abstract int Advance(MinAtarAction action);

    /// <summary>Sets the true cells of MinAtar's <c>state()</c> into a cleared (C, 10, 10) span.</summary>
    private protected abstract void DrawState(Span<float> chw);

    private protected static void Set(Span<float> chw, int channel, int row, int col) => chw[(channel * Cells) + (row * Size) + col] = 1f;

    /// <summary>Sets channel to a whole (10, 10) row-major map.</summary>
    private protected static void SetMap(Span<float> chw, int channel, ReadOnlySpan<bool> map)
    {
        Span<float> plane = chw.Slice(channel * Cells, Cells);
        for (int i = 0; i < Cells; i++)
        {
            if (map[i])
            {
                plane[i] = 1f;
            }
        }
    }
}
