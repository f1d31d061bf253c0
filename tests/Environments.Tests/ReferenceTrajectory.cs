using System.Globalization;
using System.Text.Json;

namespace DqnStudy.Environments.Tests;

/// <summary>One trajectory of tests/reference/envs (FORMAT.md there), parsed strictly: a field,
/// category or env_id this reader does not know fails the test instead of being skipped.</summary>
internal sealed record ReferenceTrajectory(
    string EnvId, string Id, string Category, Dictionary<string, object> Kwargs, double[] InitialState, float[] InitialObs,
    int[] Actions, double[] Reward, bool[] Terminated, bool[] Truncated, float[][] Obs, double[][] State, string EndReason)
{
    private static readonly HashSet<string> s_topFields =
    [
        "format", "format_version", "env_id", "set", "seed", "source", "wrapper_stack", "max_episode_steps",
        "reward_threshold", "entry_point", "default_kwargs", "observation_space", "action_space", "observation_fields",
        "state_fields", "state_dtype", "constants", "dynamics_notes", "reset_distribution", "trajectory_count", "trajectories",
    ];

    private static readonly HashSet<string> s_trajectoryFields =
    [
        "id", "name", "category", "description", "env_kwargs", "env_attributes", "tags", "length", "end_reason", "return",
        "initial_state", "initial_obs", "actions", "reward", "terminated", "truncated", "obs", "state",
    ];

    private static readonly HashSet<string> s_categories = ["random", "controller", "boundary", "truncation", "variant"];
    private static readonly HashSet<string> s_endReasons = ["terminated", "truncated", "terminated+truncated", "actions_exhausted"];
    private static readonly HashSet<string> s_attributes = ["book_or_nips"];

    /// <summary>The file's header checks plus its trajectories.</summary>
    public static (JsonElement Root, List<ReferenceTrajectory> Trajectories) Load(string path, JsonDocument document)
    {
        JsonElement root = document.RootElement;
        foreach (JsonProperty property in root.EnumerateObject())
        {
            Assert.True(s_topFields.Contains(property.Name), $"{path}: unknown top-level field '{property.Name}'.");
        }

        Assert.Equal("classic-control-reference", root.GetProperty("format").GetString());
        Assert.Equal(1, root.GetProperty("format_version").GetInt32());
        Assert.Equal("float64", root.GetProperty("state_dtype").GetString());
        string envId = root.GetProperty("env_id").GetString()!;
        Assert.True(EnvironmentRegistry.TryGetSpec(envId, out _), $"{path}: env_id '{envId}' is not registered.");

        var trajectories = new List<ReferenceTrajectory>();
        foreach (JsonElement t in root.GetProperty("trajectories").EnumerateArray())
        {
            trajectories.Add(Parse(path, envId, t));
        }

        Assert.True(root.GetProperty("trajectory_count").GetInt32() == trajectories.Count,
            $"{path}: trajectory_count {root.GetProperty("trajectory_count").GetInt32()} but {trajectories.Count} trajectories.");
        return (root, trajectories);
    }

    public static double Number(JsonElement e) =>
        e.ValueKind == JsonValueKind.String ? double.Parse(e.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture) : e.GetDouble();

    public static double[] Doubles(JsonElement e) => e.EnumerateArray().Select(Number).ToArray();

    public static float[] Floats(JsonElement e) => e.EnumerateArray().Select(v => (float)Number(v)).ToArray();

    private static ReferenceTrajectory Parse(string path, string envId, JsonElement t)
    {
        string id = t.GetProperty("id").GetString()!;
        foreach (JsonProperty property in t.EnumerateObject())
        {
            Assert.True(s_trajectoryFields.Contains(property.Name), $"{path} {id}: unknown trajectory field '{property.Name}'.");
        }

        string category = t.GetProperty("category").GetString()!;
        Assert.True(s_categories.Contains(category), $"{id}: unknown category '{category}'.");
        string endReason = t.GetProperty("end_reason").GetString()!;
        Assert.True(s_endReasons.Contains(endReason), $"{id}: unknown end_reason '{endReason}'.");

        // Gymnasium sets these as attributes on the unwrapped env; Make takes them as kwargs.
        var kwargs = new Dictionary<string, object>();
        foreach (JsonProperty p in t.GetProperty("env_kwargs").EnumerateObject())
        {
            kwargs[p.Name] = Value(p.Value);
        }

        foreach (JsonProperty p in t.GetProperty("env_attributes").EnumerateObject())
        {
            Assert.True(s_attributes.Contains(p.Name), $"{id}: unknown env_attribute '{p.Name}'.");
            kwargs[p.Name] = Value(p.Value);
        }

        int length = t.GetProperty("length").GetInt32();
        var trajectory = new ReferenceTrajectory(
            envId, id, category, kwargs,
            Doubles(t.GetProperty("initial_state")),
            Floats(t.GetProperty("initial_obs")),
            t.GetProperty("actions").EnumerateArray().Select(a => a.GetInt32()).ToArray(),
            Doubles(t.GetProperty("reward")),
            t.GetProperty("terminated").EnumerateArray().Select(b => b.GetBoolean()).ToArray(),
            t.GetProperty("truncated").EnumerateArray().Select(b => b.GetBoolean()).ToArray(),
            t.GetProperty("obs").EnumerateArray().Select(Floats).ToArray(),
            t.GetProperty("state").EnumerateArray().Select(Doubles).ToArray(),
            endReason);
        foreach ((string name, int count) in new[]
                 {
                     ("actions", trajectory.Actions.Length), ("reward", trajectory.Reward.Length), ("terminated", trajectory.Terminated.Length),
                     ("truncated", trajectory.Truncated.Length), ("obs", trajectory.Obs.Length), ("state", trajectory.State.Length),
                 })
        {
            Assert.True(count == length, $"{id}: {name} has {count} entries but length is {length}.");
        }

        return trajectory;
    }

    private static object Value(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number => e.GetDouble(),
        JsonValueKind.String => e.GetString()!,
        _ => throw new InvalidDataException($"unsupported kwarg value {e}"),
    };
}
