using System.Text.Json;
using DqnStudy.Tests.Shared;

namespace DqnStudy.Environments.Tests.MinAtar;

/// <summary>One random-number call of a trajectory, normalised as FORMAT.md allows: rand (Size −1 for the scalar
/// form) or randint(Low, High[, Size]); Text is the call as logged, for messages.</summary>
internal sealed record RngCall(string Method, long Low, long High, int Size, double[] Doubles, long[] Ints, string Text);

internal sealed record MinAtarStep(
    int Action, int EffectiveAction, int Reward, bool Terminal, int? Difficulty, int[][] State, RngCall[] Calls);

internal sealed record MinAtarTrajectory(
    string Id, uint Seed, double StickyActionProb, bool DifficultyRamping, RngCall[] ResetCalls, int[][] InitialState,
    int? InitialDifficulty, MinAtarStep[] Steps, string EndReason, int? FirstTerminalStep, long TotalReward, int PostTerminalSteps);

/// <summary>One file of tests/reference/minatar (format minatar-ref-v1, see FORMAT.md there), read strictly: the
/// game is the one the file names (never its file name), and a format, method or field shape this reader does
/// not know fails the test instead of being skipped.</summary>
internal sealed record MinAtarReferenceFile(
    string Path, string Game, string[] Channels, int[] MinimalActionSet, string ActionMap, int[] StateShape, List<MinAtarTrajectory> Trajectories)
{
    public static IReadOnlyList<MinAtarReferenceFile> LoadAll()
    {
        string folder = ReferenceData.MinAtarFolder();
        return ReferenceData.Files(folder).Select(Load).ToList();
    }

    public static MinAtarReferenceFile Load(string path)
    {
        using JsonDocument document = JsonDocument.Parse(ReferenceData.ReadAllBytes(path));
        JsonElement root = document.RootElement;
        Assert.True(root.GetProperty("format").GetString() == "minatar-ref-v1", $"{path}: format is not minatar-ref-v1.");
        string[] fields = Strings(root.GetProperty("step_fields"));
        int F(string name)
        {
            int index = Array.IndexOf(fields, name);
            Assert.True(index >= 0, $"{path}: step_fields lacks '{name}'.");
            return index;
        }

        int action = F("action"), effective = F("effective_action"), reward = F("reward"), terminal = F("terminal"),
            difficulty = F("difficulty_ramp"), state = F("state"), calls = F("rng_calls");
        var trajectories = new List<MinAtarTrajectory>();
        foreach (JsonElement t in root.GetProperty("trajectories").EnumerateArray())
        {
            string id = t.GetProperty("id").GetString()!;
            string where = $"{path} trajectory {id}";
            var steps = new List<MinAtarStep>();
            foreach (JsonElement s in t.GetProperty("steps").EnumerateArray())
            {
                steps.Add(new MinAtarStep(
                    s[action].GetInt32(), s[effective].GetInt32(), s[reward].GetInt32(), s[terminal].GetInt32() != 0,
                    NullableInt(s[difficulty]), State(s[state]), Calls(s[calls], $"{where} step {steps.Count}")));
            }

            trajectories.Add(new MinAtarTrajectory(
                id, t.GetProperty("seed").GetUInt32(), t.GetProperty("sticky_action_prob").GetDouble(),
                t.GetProperty("difficulty_ramping").GetBoolean(), Calls(t.GetProperty("reset_rng"), $"{where} reset"),
                State(t.GetProperty("initial_state")), NullableInt(t.GetProperty("initial_difficulty")), [.. steps],
                t.GetProperty("end_reason").GetString()!, NullableInt(t.GetProperty("first_terminal_step")),
                t.GetProperty("total_reward").GetInt64(), t.GetProperty("post_terminal_steps").GetInt32()));
        }

        return new MinAtarReferenceFile(
            path, root.GetProperty("game").GetString()!, Strings(root.GetProperty("channels")),
            Ints(root.GetProperty("minimal_action_set")), string.Concat(Strings(root.GetProperty("action_map"))),
            Ints(root.GetProperty("state_shape")), trajectories);
    }

    private static int? NullableInt(JsonElement e) => e.ValueKind == JsonValueKind.Null ? null : e.GetInt32();

    private static string[] Strings(JsonElement e) => e.EnumerateArray().Select(x => x.GetString()!).ToArray();

    private static int[] Ints(JsonElement e) => e.EnumerateArray().Select(x => x.GetInt32()).ToArray();

    private static int[][] State(JsonElement e) => e.EnumerateArray().Select(Ints).ToArray();

    private static RngCall[] Calls(JsonElement e, string where) => e.EnumerateArray().Select(c => Call(c, where)).ToArray();

    /// <summary>[method, args, kwargs, result] → (method, low, high, size) as numpy reads its arguments.</summary>
    private static RngCall Call(JsonElement call, string where)
    {
        string method = call[0].GetString()!;
        JsonElement[] args = call[1].EnumerateArray().ToArray();
        JsonElement result = call[3];
        string text = call.GetRawText();
        var named = new Dictionary<string, long>();
        string[] order = method switch
        {
            "rand" => ["size"],
            "randint" => ["low", "high", "size"],
            _ => throw new Xunit.Sdk.XunitException($"{where}: RandomState.{method} is not a method MinAtar calls (rand, randint): {text}"),
        };
        Assert.True(args.Length <= order.Length, $"{where}: too many arguments in {text}");
        for (int i = 0; i < args.Length; i++)
        {
            named[order[i]] = args[i].GetInt64();
        }

        foreach (JsonProperty kw in call[2].EnumerateObject())
        {
            Assert.True(order.Contains(kw.Name) && !named.ContainsKey(kw.Name), $"{where}: unexpected keyword '{kw.Name}' in {text}");
            named[kw.Name] = kw.Value.GetInt64();
        }

        int size = named.TryGetValue("size", out long s) ? checked((int)s) : -1;
        bool scalar = size < 0;
        Assert.True(scalar ? result.ValueKind == JsonValueKind.Number : result.ValueKind == JsonValueKind.Array && result.GetArrayLength() == size,
            $"{where}: result of {text} does not match its size.");
        JsonElement[] values = scalar ? [result] : result.EnumerateArray().ToArray();
        if (method == "rand")
        {
            return new RngCall(method, 0, 0, size, values.Select(v => v.GetDouble()).ToArray(), [], text);
        }

        Assert.True(named.ContainsKey("low"), $"{where}: randint without arguments: {text}");
        (long low, long high) = named.TryGetValue("high", out long h) ? (named["low"], h) : (0L, named["low"]);
        return new RngCall(method, low, high, size, [], values.Select(v => v.GetInt64()).ToArray(), text);
    }
}
