using System.Text.Json;
using DqnStudy.Tests.Shared;
using Xunit.Abstractions;

namespace DqnStudy.Environments.Tests;

/// <summary>Replays every trajectory recorded from Gymnasium (the repository's tests/reference/envs or DQNSTUDY_ENV_REFERENCE),
/// free-running from the initial state and teacher-forced from each recorded state.</summary>
public sealed class ReferenceReplayTests(ITestOutputHelper output)
{
    private const double StateTolerance = 1e-12;

    [Fact]
    public void EveryReferenceTrajectoryReplays()
    {
        string folder = ReferenceData.EnvFolder();
        IReadOnlyList<string> files = ReferenceData.Files(folder);

        int expected = 0, ran = 0, exactStates = 0, comparedStates = 0;
        double worstState = 0;
        foreach (string file in files)
        {
            using JsonDocument document = JsonDocument.Parse(ReferenceData.ReadAllBytes(file));
            (JsonElement root, List<ReferenceTrajectory> trajectories) = ReferenceTrajectory.Load(file, document);
            expected += root.GetProperty("trajectory_count").GetInt32();
            CheckHeader(root);
            foreach (ReferenceTrajectory trajectory in trajectories)
            {
                var stats = new Stats();
                FreeRun(trajectory, stats);
                TeacherForced(trajectory, stats);
                ran++;
                exactStates += stats.Exact;
                comparedStates += stats.Compared;
                worstState = Math.Max(worstState, stats.Worst);
            }

            output.WriteLine($"{Path.GetFileName(file)}: {trajectories.Count} trajectories replayed");
        }

        output.WriteLine($"{ran} trajectories run of {expected}; state components bit-exact {exactStates}/{comparedStates}, worst relative {worstState:E3}");
        Assert.Equal(expected, ran);
    }

    private static void CheckHeader(JsonElement root)
    {
        string envId = root.GetProperty("env_id").GetString()!;
        Assert.True(EnvironmentRegistry.TryGetSpec(envId, out EnvSpec spec));
        Assert.Equal(root.GetProperty("max_episode_steps").GetInt32(), spec.MaxEpisodeSteps);
        Assert.Equal(root.GetProperty("reward_threshold").GetDouble(), spec.RewardThreshold);

        JsonElement box = root.GetProperty("observation_space");
        Assert.Equal("Box", box.GetProperty("type").GetString());
        Assert.Equal(box.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray(), spec.ObservationSpace.Shape);
        Assert.Equal(ReferenceTrajectory.Floats(box.GetProperty("low")), spec.ObservationSpace.Low.ToArray());
        Assert.Equal(ReferenceTrajectory.Floats(box.GetProperty("high")), spec.ObservationSpace.High.ToArray());

        JsonElement discrete = root.GetProperty("action_space");
        Assert.Equal("Discrete", discrete.GetProperty("type").GetString());
        Assert.Equal(discrete.GetProperty("n").GetInt32(), spec.ActionSpace.N);
        Assert.Equal(discrete.GetProperty("start").GetInt32(), spec.ActionSpace.Start);
    }

    private static void FreeRun(ReferenceTrajectory t, Stats stats)
    {
        IEnvironment env = EnvironmentRegistry.Make(t.EnvId, t.Kwargs);
        var physics = (ClassicControlEnvironment)env.Unwrapped;
        env.Reset(seed: 0);
        physics.State = t.InitialState;
        CompareObservation(t.InitialObs, physics.CurrentObservation, t.Id, -1, "free-running");

        for (int i = 0; i < t.Actions.Length; i++)
        {
            StepResult result = env.Step(t.Actions[i]);
            Compare(t, i, result, physics, stats, "free-running");
        }
    }

    private static void TeacherForced(ReferenceTrajectory t, Stats stats)
    {
        IEnvironment env = EnvironmentRegistry.Make(t.EnvId, t.Kwargs);
        TimeLimit timeLimit = env.Find<TimeLimit>() ?? throw new InvalidOperationException("Make gave no TimeLimit");
        var physics = (ClassicControlEnvironment)env.Unwrapped;
        for (int i = 0; i < t.Actions.Length; i++)
        {
            env.Reset(seed: i);
            physics.State = i == 0 ? t.InitialState : t.State[i - 1];
            timeLimit.ElapsedSteps = i;
            StepResult result = env.Step(t.Actions[i]);
            Compare(t, i, result, physics, stats, "teacher-forced");
        }
    }

    private static void Compare(ReferenceTrajectory t, int i, StepResult result, ClassicControlEnvironment physics, Stats stats, string mode)
    {
        CompareObservation(t.Obs[i], result.Observation, t.Id, i, mode);
        double[] state = physics.State;
        Assert.True(state.Length == t.State[i].Length, $"{t.Id} step {i}: state has {state.Length} components, reference {t.State[i].Length}");
        for (int k = 0; k < state.Length; k++)
        {
            double expected = t.State[i][k];
            double error = Math.Abs(state[k] - expected) / Math.Max(1.0, Math.Abs(expected));
            stats.Compared++;
            stats.Exact += state[k] == expected ? 1 : 0;
            stats.Worst = Math.Max(stats.Worst, error);
            Assert.True(error <= StateTolerance,
                $"{t.Id} ({mode}) step {i}: state[{k}] = {state[k]:R}, Gymnasium {expected:R} (relative {error:E3})");
        }

        Assert.True(result.Reward == t.Reward[i], $"{t.Id} ({mode}) step {i}: reward {result.Reward}, Gymnasium {t.Reward[i]}");
        Assert.True(result.Terminated == t.Terminated[i], $"{t.Id} ({mode}) step {i}: terminated {result.Terminated}, Gymnasium {t.Terminated[i]}");
        Assert.True(result.Truncated == t.Truncated[i], $"{t.Id} ({mode}) step {i}: truncated {result.Truncated}, Gymnasium {t.Truncated[i]}");
    }

    private static void CompareObservation(float[] expected, ReadOnlySpan<float> actual, string id, int step, string mode)
    {
        Assert.True(actual.Length == expected.Length, $"{id} ({mode}) step {step}: observation has {actual.Length} elements, Gymnasium {expected.Length}");
        for (int k = 0; k < expected.Length; k++)
        {
            // Bit-exact: BitConverter distinguishes -0 from +0 and needs no tolerance.
            Assert.True(BitConverter.SingleToInt32Bits(actual[k]) == BitConverter.SingleToInt32Bits(expected[k]),
                $"{id} ({mode}) step {step}: obs[{k}] = {actual[k]:R}, Gymnasium {expected[k]:R}");
        }
    }

    private sealed class Stats
    {
        public int Compared { get; set; }

        public int Exact { get; set; }

        public double Worst { get; set; }
    }
}
