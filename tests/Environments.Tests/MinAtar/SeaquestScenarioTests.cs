using DqnStudy.Environments.MinAtar;

namespace DqnStudy.Environments.Tests.MinAtar;

/// <summary>A hand-made Seaquest state and one action, with what MinAtar's seaquest.py made of it.</summary>
internal sealed record SeaquestScenario(
    string Name, int SubX, int SubY, bool FacingRight, int EnemySpawnTimer, int DiverSpawnTimer, int DiverCount,
    int[][] FriendlyBullets, int[][] EnemyBullets, int[][] Fish, int[][] Subs, int[][] Divers, int Action,
    int Reward, bool Terminal, int[][] State);

/// <summary>Steps the recorded trajectories never take (SeaquestScenarioAnswers.cs, made by seaquest_scenarios.py
/// from MinAtar's own code): a sub destroyed on its shot frame still fires; list.remove by value; the diver limit.</summary>
public sealed class SeaquestScenarioTests
{
    public static TheoryData<string> Names => new(SeaquestScenarioAnswers.Scenarios.Select(s => s.Name));

    [Theory]
    [MemberData(nameof(Names))]
    public void OneStepMatchesMinAtar(string name)
    {
        SeaquestScenario s = SeaquestScenarioAnswers.Scenarios.Single(x => x.Name == name);
        var game = new Seaquest { Random = new NumpyRandomState(0) };
        game.Reset();
        game.Arrange(s.SubX, s.SubY, s.FacingRight, s.EnemySpawnTimer, s.DiverSpawnTimer, s.DiverCount);
        Fill(game.FriendlyBullets, s.FriendlyBullets);
        Fill(game.EnemyBullets, s.EnemyBullets);
        Fill(game.Fish, s.Fish);
        Fill(game.Subs, s.Subs);
        Fill(game.Divers, s.Divers);

        (int reward, bool terminal) = game.Act(s.Action);

        Assert.Equal(s.Reward, reward);
        Assert.Equal(s.Terminal, terminal);
        float[] chw = new float[game.ChannelCount * 100];
        game.WriteState(chw);
        for (int c = 0; c < game.ChannelCount; c++)
        {
            int[] cells = Enumerable.Range(0, 100).Where(i => chw[(c * 100) + i] == 1f).ToArray();
            Assert.True(s.State[c].SequenceEqual(cells), $"{name}: {game.Channels[c]} is [{string.Join(",", cells)}], MinAtar [{string.Join(",", s.State[c])}]");
        }
    }

    private static void Fill(SeaquestObjectList list, int[][] items)
    {
        list.Clear();
        foreach (int[] x in items)
        {
            list.Add(new SeaquestObject(x[0], x[1], x[2] != 0, x.Length > 3 ? x[3] : 0, x.Length > 4 ? x[4] : 0));
        }
    }
}
