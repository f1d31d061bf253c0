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
