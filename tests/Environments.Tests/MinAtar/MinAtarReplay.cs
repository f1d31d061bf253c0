using DqnStudy.Environments.MinAtar;

namespace DqnStudy.Environments.Tests.MinAtar;

/// <summary>Replays one reference trajectory three ways and returns the first divergence (null: identical).
/// Teacher-forced and free-running follow FORMAT.md's recipe through <see cref="MinAtarEnvironment.Act"/>
/// (MinAtar's Environment.act, post-terminal steps included); the registry replay runs the public path
/// (Make, Reset(seed), Step) up to the first terminal step.</summary>
internal static class MinAtarReplay
{
    /// <summary>A scripted source serves the logged results; every call, state, reward and flag must match.</summary>
    public static string? TeacherForced(MinAtarReferenceFile file, MinAtarTrajectory t) =>
        Catch(() => Run(file, t, new LoggedRandom(inner: null), seeded: false));

    /// <summary>numpy's RandomState port seeded with the trajectory's seed makes every logged result itself.</summary>
    public static string? FreeRunning(MinAtarReferenceFile file, MinAtarTrajectory t) =>
        Catch(() => Run(file, t, new LoggedRandom(new NumpyRandomState()), seeded: true));

    /// <summary>EnvironmentRegistry.Make(-v0 id, kwargs) then Reset(seed) and Step: no injected source.</summary>
    public static string? ThroughRegistry(MinAtarReferenceFile file, MinAtarTrajectory t) => Catch(() =>
    {
        string where = $"{file.Game}/{t.Id} (registry)";
        var kwargs = new Dictionary<string, object>
        {
            ["sticky_action_prob"] = t.StickyActionProb,
            ["difficulty_ramping"] = t.DifficultyRamping,
        };
        IEnvironment env = EnvironmentRegistry.Make(MinAtarGames.Id(file.Game, minimalActionSet: false), kwargs);
        var minatar = (MinAtarEnvironment)env.Unwrapped;
        ReadOnlySpan<float> first = env.Reset(checked((int)t.Seed));
        CompareState(file, first, t.InitialState, $"{where} initial state");
        for (int k = 0; k < t.Steps.Length; k++)
        {
            MinAtarStep step = t.Steps[k];
            StepResult result = env.Step(step.Action);
            string at = $"{where} step {k}";
            Check(minatar.LastAction == step.EffectiveAction, $"{at}: effective action {minatar.LastAction} != logged {step.EffectiveAction}");
            Check(result.Reward == step.Reward, $"{at}: reward {result.Reward} != logged {step.Reward}");
            Check(result.Terminated == step.Terminal, $"{at}: terminated {result.Terminated} != logged {step.Terminal}");
            Check(!result.Truncated, $"{at}: truncated with no time limit");
            CompareState(file, result.Observation, step.State, at);
            if (result.Terminated)
            {
                break;
            }
        }
    });

    private static void Run(MinAtarReferenceFile file, MinAtarTrajectory t, LoggedRandom random, bool seeded)
    {
        string where = $"{file.Game}/{t.Id} ({(seeded ? "free-running" : "teacher-forced")})";
        MinAtarGame game = MinAtarGames.Create(file.Game, t.DifficultyRamping);
        var env = new MinAtarEnvironment(game, MinAtarGames.Id(file.Game, false), minimalActionSet: false, t.StickyActionProb, random);

        random.Expect(t.ResetCalls, $"{where} reset");
        env.Reset(seeded ? checked((int)t.Seed) : null);
        random.CheckExhausted();
        CompareState(file, env.CurrentObservation, t.InitialState, $"{where} initial state");
        Check(game.DifficultyRamp == t.InitialDifficulty, $"{where}: initial difficulty {game.DifficultyRamp} != logged {t.InitialDifficulty}");

        int? firstTerminal = null;
        long total = 0;
        for (int k = 0; k < t.Steps.Length; k++)
        {
            MinAtarStep step = t.Steps[k];
            string at = $"{where} step {k}";
            random.Expect(step.Calls, at);
            (int reward, bool terminal) = env.Act(step.Action);
            random.CheckExhausted();
            Check(env.LastAction == step.EffectiveAction, $"{at}: effective action {env.LastAction} != logged {step.EffectiveAction}");
            Check(reward == step.Reward, $"{at}: reward {reward} != logged {step.Reward}");
            Check(terminal == step.Terminal, $"{at}: terminal {terminal} != logged {step.Terminal}");
            Check(game.DifficultyRamp == step.Difficulty, $"{at}: difficulty {game.DifficultyRamp} != logged {step.Difficulty}");
            CompareState(file, env.CurrentObservation, step.State, at);
            firstTerminal ??= terminal ? k : null;
            total += reward;
        }

        // The summary fields are derived from the steps; a disagreement means the file is inconsistent.
        Check(firstTerminal == t.FirstTerminalStep, $"{where}: first terminal step {firstTerminal} != logged {t.FirstTerminalStep}");
        Check(total == t.TotalReward, $"{where}: total reward {total} != logged {t.TotalReward}");
        Check(t.EndReason == (firstTerminal is null ? "cap" : "terminal"), $"{where}: end_reason {t.EndReason} disagrees with the steps");
        if (seeded)
        {
            Check(random.Seeds.SequenceEqual([t.Seed]), $"{where}: seeded {string.Join(", ", random.Seeds)} instead of {t.Seed} once");
        }
    }

    /// <summary>The (C, 10, 10) observation against the logged per-channel lists of true cells.</summary>
    public static void CompareState(MinAtarReferenceFile file, ReadOnlySpan<float> chw, int[][] logged, string where)
    {
        Check(logged.Length == file.Channels.Length, $"{where}: the log has {logged.Length} channels, the game {file.Channels.Length}");
        Check(chw.Length == logged.Length * 100, $"{where}: observation has {chw.Length} values, expected {logged.Length * 100}");
        var differing = new List<string>();
        for (int c = 0; c < logged.Length; c++)
        {
            var cells = new List<int>();
            for (int i = 0; i < 100; i++)
            {
                float v = chw[(c * 100) + i];
                Check(v is 0f or 1f, $"{where}: channel {file.Channels[c]} cell {i} is {v}, not 0 or 1");
                if (v == 1f)
                {
                    cells.Add(i);
                }
            }

            if (!cells.SequenceEqual(logged[c]))
            {
                differing.Add($"{file.Channels[c]}: replay [{string.Join(",", cells)}] logged [{string.Join(",", logged[c])}]");
            }
        }

        Check(differing.Count == 0, $"{where}: state differs in {string.Join("; ", differing)}");
    }

    private static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new ReplayMismatch(message);
        }
    }

    private static string? Catch(Action replay)
    {
        try
        {
            replay();
            return null;
        }
        catch (ReplayMismatch mismatch)
        {
            return mismatch.Message;
        }
    }
}
