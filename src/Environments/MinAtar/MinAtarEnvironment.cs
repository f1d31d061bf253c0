namespace DqnStudy.Environments.MinAtar;

/// <summary>A MinAtar game as an <see cref="IEnvironment"/>: MinAtar's <c>Environment</c> wrapper (sticky actions
/// drawn from the game's own random source) plus its Gymnasium <c>BaseEnv</c> (the full six actions for -v0, the
/// game's minimal set for -v1). Observations are MinAtar's 10×10×C booleans as float32 channels-first (C, 10, 10),
/// the layout MinAtar's own DQN feeds its network after permuting.</summary>
public sealed class MinAtarEnvironment : IEnvironment
{
    private readonly int[] _actionSet;
    private readonly float[] _observation;
    private IRandomSource _random;
    private bool _running;
    private bool _everStarted;

    /// <param name="game">The game; its <see cref="MinAtarGame.Random"/> is replaced by this environment's source.</param>
    /// <param name="id">The registered id this instance reports.</param>
    /// <param name="minimalActionSet">True: actions index the game's minimal set (-v1); false: all six (-v0).</param>
    /// <param name="stickyActionProbability">MinAtar's <c>sticky_action_prob</c>: the chance the previous action is repeated.</param>
    /// <param name="random">The source for the wrapper and the game; default: numpy's RandomState port.</param>
    public MinAtarEnvironment(MinAtarGame game, string id, bool minimalActionSet, double stickyActionProbability = 0.1, IRandomSource? random = null)
    {
        ArgumentNullException.ThrowIfNull(game);
        ArgumentNullException.ThrowIfNull(id);
        if (!(stickyActionProbability is >= 0.0 and <= 1.0))
        {
            throw new ArgumentOutOfRangeException(nameof(stickyActionProbability), stickyActionProbability,
                $"{id}: sticky_action_prob must be a probability in [0, 1] but is {stickyActionProbability}.");
        }

        Game = game;
        Id = id;
        StickyActionProbability = stickyActionProbability;
        _actionSet = minimalActionSet ? game.MinimalActionSet.ToArray() : [0, 1, 2, 3, 4, 5];
        _random = random ?? new NumpyRandomState();
        game.Random = _random;
        _observation = new float[game.ChannelCount * MinAtarGame.Cells];
        ObservationSpace = new Box(0f, 1f, [game.ChannelCount, MinAtarGame.Size, MinAtarGame.Size]);
        ActionSpace = new Discrete(_actionSet.Length);
    }

    public string Id { get; }

    public MinAtarGame Game { get; }

    /// <summary>(C, 10, 10) in [0, 1]; every value is 0 or 1.</summary>
    public Box ObservationSpace { get; }

    public Discrete ActionSpace { get; }

    public IReadOnlyDictionary<string, object> LastInfo => EnvironmentInfo.Empty;

    public double StickyActionProbability { get; }

    /// <summary>Action i of <see cref="ActionSpace"/> is MinAtar action ActionSet[i] (0..5, see <see cref="MinAtarAction"/>).</summary>
    public ReadOnlySpan<int> ActionSet => _actionSet;

    /// <summary>MinAtar's <c>last_action</c> (0..5): the action the game last received, sticky or not.</summary>
    public int LastAction { get; private set; }

    /// <summary>The source shared by the sticky-action draw and the game.</summary>
    public IRandomSource Random => _random;

    /// <summary>The observation of the current state (the shared buffer; valid until the next Reset/Step).</summary>
    public ReadOnlySpan<float> CurrentObservation
    {
        get
        {
            Game.WriteState(_observation);
            return _observation;
        }
    }

    /// <summary>A seed re-seeds the shared RandomState (MinAtar's <c>seed</c>) and sets the last action to 0, so
    /// Reset(seed) starts exactly as a fresh MinAtar <c>Environment</c> seeded with it; without a seed the stream
    /// and the last action carry on, as MinAtar's <c>reset()</c> does.</summary>
    public ReadOnlySpan<float> Reset(int? seed = null, ResetOptions? options = null)
    {
        if (options is not null)
        {
            throw new ArgumentException($"{Id}: MinAtar games take no reset options.", nameof(options));
        }

        if (seed is int s)
        {
            if (s < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(seed), s, $"{Id}: a seed must be between 0 and 2**32 - 1 (numpy's RandomState) but is {s}.");
            }

            _random.Seed((uint)s);
            LastAction = 0;
        }

        Game.Reset();
        _running = true;
        _everStarted = true;
        Game.WriteState(_observation);
        return _observation;
    }

    public StepResult Step(int action)
    {
        StepGuard.Check(Id, _running, _everStarted, ActionSpace, action);

        (int reward, bool terminal) = Act(_actionSet[action]);
        _running = !terminal;
        Game.WriteState(_observation);
        return new StepResult(_observation, reward, terminal, truncated: false);
    }

    /// <summary>MinAtar's <c>Environment.act(a)</c> on the full action set, exactly: a sticky draw on every call
    /// (also at probability 0 and after the end), then the game's act, which returns (0, true) once the episode is
    /// over. No Reset-before-Step checks: this is the reference replays' entry point; agents use <see cref="Step"/>.</summary>
    public (int Reward, bool Terminal) Act(int action)
    {
        if ((uint)action >= MinAtarActions.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(action), action, $"{Id}: a MinAtar action is 0..5 ({MinAtarActions.Letters}) but was {action}.");
        }

        if (_random.Rand() < StickyActionProbability)
        {
            action = LastAction;
        }

        LastAction = action;
        return Game.Act(action);
    }
}
