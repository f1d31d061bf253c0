using DqnStudy.Environments.MinAtar;
using Xunit.Abstractions;

namespace DqnStudy.Environments.Tests.MinAtar;

/// <summary>Every trajectory of the MinAtar reference (tests/reference/minatar or DQNSTUDY_MINATAR_REFERENCE),
/// replayed teacher-forced, free-running from its seed, and through the registry; files are matched to games
/// by the game they name.</summary>
public sealed class MinAtarReplayTests(ITestOutputHelper output)
{
    private static readonly Lazy<IReadOnlyList<MinAtarReferenceFile>> s_files = new(MinAtarReferenceFile.LoadAll);

    [Fact]
    public void HeadersDescribeTheGamesAsPorted()
    {
        foreach (MinAtarReferenceFile file in s_files.Value)
        {
            Assert.True(MinAtarGames.Names.Contains(file.Game), $"{file.Path}: unknown game '{file.Game}'; known: {string.Join(", ", MinAtarGames.Names)}");
            MinAtarGame game = MinAtarGames.Create(file.Game);
            Assert.Equal(file.Channels, game.Channels);
            Assert.Equal(file.MinimalActionSet, game.MinimalActionSet.ToArray());
            Assert.Equal(MinAtarActions.Letters, file.ActionMap);
            Assert.Equal([10, 10, game.ChannelCount], file.StateShape);
            Assert.NotEmpty(file.Trajectories);
        }
    }

    [Fact]
    public void TeacherForcedReplayMatchesEveryStep() => ReplayAll("teacher-forced", MinAtarReplay.TeacherForced);

    [Fact]
    public void FreeRunningFromTheSeedMatchesEveryStep() => ReplayAll("free-running", MinAtarReplay.FreeRunning);

    [Fact]
    public void RegistryEnvironmentSeededLikeMinAtarMatchesEveryStep() => ReplayAll("registry", MinAtarReplay.ThroughRegistry);

    /// <summary>The replays can fail: one changed value in a copy of each file's first trajectory is reported.</summary>
    [Fact]
    public void AMutatedReferenceValueIsReported()
    {
        foreach (MinAtarReferenceFile file in s_files.Value)
        {
            MinAtarTrajectory t = file.Trajectories[0];
            int last = t.Steps.Length - 1;
            MinAtarStep lastStep = t.Steps[last];

            int[][] state = lastStep.State.Select(c => c.ToArray()).ToArray();
            state[0] = state[0].Contains(0) ? state[0].Where(i => i != 0).ToArray() : [0, .. state[0]];
            AllReport(file, Replace(t, last, lastStep with { State = state }), "a cell of the last state");
            AllReport(file, Replace(t, 0, t.Steps[0] with { Reward = t.Steps[0].Reward + 1 }), "the first reward");
            AllReport(file, Replace(t, last, lastStep with { Terminal = !lastStep.Terminal }), "the last terminal flag");

            int k = Array.FindIndex(t.Steps, s => s.Calls.Length > 0);
            RngCall[] calls = [.. t.Steps[k].Calls];
            calls[0] = calls[0] with { Doubles = calls[0].Doubles.Select(d => d + Math.Pow(2, -53)).ToArray(), Ints = calls[0].Ints.Select(i => i + 1).ToArray() };
            string? failure = MinAtarReplay.FreeRunning(file, Replace(t, k, t.Steps[k] with { Calls = calls }));
            Assert.True(failure is not null, $"{file.Game}/{t.Id}: a changed random result at step {k} went unnoticed free-running");
        }
    }

    private static void AllReport(MinAtarReferenceFile file, MinAtarTrajectory mutated, string what)
    {
        foreach ((string how, Func<MinAtarReferenceFile, MinAtarTrajectory, string?> replay) in new (string, Func<MinAtarReferenceFile, MinAtarTrajectory, string?>)[]
                 { ("teacher-forced", MinAtarReplay.TeacherForced), ("free-running", MinAtarReplay.FreeRunning) })
        {
            Assert.True(replay(file, mutated) is not null, $"{file.Game}/{mutated.Id}: changing {what} went unnoticed ({how})");
        }
    }

    private static MinAtarTrajectory Replace(MinAtarTrajectory t, int index, MinAtarStep step)
    {
        MinAtarStep[] steps = [.. t.Steps];
        steps[index] = step;
        return t with { Steps = steps };
    }

    private void ReplayAll(string how, Func<MinAtarReferenceFile, MinAtarTrajectory, string?> replay)
    {
        var failures = new List<string>();
        int trajectories = 0;
        foreach (MinAtarReferenceFile file in s_files.Value)
        {
            int steps = 0, calls = 0;
            foreach (MinAtarTrajectory t in file.Trajectories)
            {
                if (replay(file, t) is string failure)
                {
                    failures.Add(failure);
                }

                trajectories++;
                steps += t.Steps.Length;
                calls += t.ResetCalls.Length + t.Steps.Sum(s => s.Calls.Length);
            }

            output.WriteLine($"{how} {file.Game,-15} trajectories={file.Trajectories.Count} steps={steps} rng_calls={calls}  ({Path.GetFileName(file.Path)})");
        }

        Assert.True(trajectories > 0, "no MinAtar reference trajectories were found");
        Assert.True(failures.Count == 0, $"{failures.Count} of {trajectories} trajectories diverged ({how}):\n{string.Join("\n", failures)}");
    }
}
