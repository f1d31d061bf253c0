using DqnStudy.Environments.MinAtar;

namespace DqnStudy.Environments;

/// <summary>Gymnasium's registry for the ids DqnStudy uses: Make builds the environment from kwargs and
/// wraps it in a TimeLimit of the spec's max_episode_steps, as gymnasium.make does.</summary>
public static class EnvironmentRegistry
{
    private static readonly Entry[] s_entries =
    [
        new("CartPole-v1", 500, 475.0,
            "Gymnasium CartPole-v1: balance a pole on a cart; +1 per step.",
            ["sutton_barto_reward"],
            k => new CartPole(k.GetBool("sutton_barto_reward", false))),
        new("MountainCar-v0", 200, -110.0,
            "Gymnasium MountainCar-v0: drive an underpowered car up the right hill; -1 per step.",
            ["goal_velocity"],
            k => new MountainCar(k.GetDouble("goal_velocity", 0.0))),
        new("Acrobot-v1", 500, -100.0,
            "Gymnasium Acrobot-v1: swing the two-link tip above the bar; -1 per step.",
            ["book_or_nips"],
            k => new Acrobot(k.GetString("book_or_nips", "book"))),
        new("CartPoleNoVel-v1", 500, 475.0,
            "CartPole-v1 with x_dot and theta_dot set to 0 (RL Zoo's MaskVelocityWrapper).",
            ["sutton_barto_reward"],
            k => new MaskVelocity(new CartPole(k.GetBool("sutton_barto_reward", false)), "CartPoleNoVel-v1")),
        new("CartPoleFlicker-v1", 500, 475.0,
            "CartPole-v1 whose observations are blanked to zeros with probability p (default 0.5), seeded from Reset.",
            ["p", "sutton_barto_reward"],
            k => new Flicker(new CartPole(k.GetBool("sutton_barto_reward", false)), k.GetDouble("p", 0.5), "CartPoleFlicker-v1")),
        .. MinAtarEntries(),
    ];

    /// <summary>The make-level kwarg every id accepts (gymnasium.make's max_episode_steps), besides its own.</summary>
    public const string MaxEpisodeStepsKwarg = "max_episode_steps";

    private static readonly EnvSpec[] s_specs = s_entries.Select(e => e.ToSpec()).ToArray();
    private static readonly string[] s_ids = s_entries.Select(e => e.Id).ToArray();

    public static IReadOnlyList<EnvSpec> Specs => s_specs;

    public static IReadOnlyList<string> Ids => s_ids;

    public static bool TryGetSpec(string id, out EnvSpec spec)
    {
        int index = Array.IndexOf(s_ids, id);
        spec = index >= 0 ? s_specs[index] : null!;
        return index >= 0;
    }

    /// <summary>Builds <paramref name="id"/> with <paramref name="kwargs"/> (Gymnasium's names, e.g.
    /// "sutton_barto_reward") inside a TimeLimit of <paramref name="maxEpisodeSteps"/> (else the kwarg
    /// "max_episode_steps", else the spec's; none → no TimeLimit).
    /// Unknown id → UnknownEnvironmentException; unknown kwarg → ArgumentException.</summary>
    public static IEnvironment Make(string id, IReadOnlyDictionary<string, object>? kwargs = null, int? maxEpisodeSteps = null)
    {
        ArgumentNullException.ThrowIfNull(id);
        int index = Array.IndexOf(s_ids, id);
        if (index < 0)
        {
            throw new UnknownEnvironmentException(id, s_ids);
        }

        Entry entry = s_entries[index];
        var reader = new Kwargs(id, kwargs);
        IEnvironment environment = entry.Create(reader);
        int? kwargLimit = reader.GetPositiveInt(MaxEpisodeStepsKwarg);
        reader.RequireAllRead([.. entry.KwargNames, MaxEpisodeStepsKwarg]);
        int? limit = maxEpisodeSteps ?? kwargLimit ?? entry.MaxEpisodeSteps;
        return limit is int steps ? new TimeLimit(environment, steps) : environment;
    }

    /// <summary>MinAtar's ten ids: each game with six actions (-v0) and with its minimal set (-v1), no time limit
    /// (MinAtar registers none; Freeway ends itself after 2501 steps), kwargs as MinAtar's Environment takes them.</summary>
    private static IEnumerable<Entry> MinAtarEntries()
    {
        foreach (string name in MinAtarGames.Names)
        {
            foreach (bool minimal in new[] { false, true })
            {
                string id = MinAtarGames.Id(name, minimal);
                yield return new Entry(id, null, null,
                    $"MinAtar {name} ({(minimal ? "minimal actions" : "all 6 actions")}): {MinAtarGames.Describe(name)}.",
                    ["sticky_action_prob", "difficulty_ramping"],
                    k => new MinAtarEnvironment(
                        MinAtarGames.Create(name, k.GetBool("difficulty_ramping", true)), id, minimal,
                        k.GetProbability("sticky_action_prob", 0.1)));
            }
        }
    }

    private sealed record Entry(
        string Id, int? MaxEpisodeSteps, double? RewardThreshold, string Description,
        string[] KwargNames, Func<Kwargs, IEnvironment> Create)
    {
        public EnvSpec ToSpec()
        {
            IEnvironment sample = Create(new Kwargs(Id, null));
            return new EnvSpec(Id, MaxEpisodeSteps, RewardThreshold, Description, sample.ObservationSpace, sample.ActionSpace, KwargNames);
        }
    }
}
