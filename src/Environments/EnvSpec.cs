namespace DqnStudy.Environments;

/// <summary>A registered environment id (Gymnasium's EnvSpec, cut down): the time limit Make applies,
/// the reward threshold at which the task counts as solved, the spaces and the accepted kwargs.</summary>
public sealed record EnvSpec(
    string Id,
    int? MaxEpisodeSteps,
    double? RewardThreshold,
    string Description,
    Box ObservationSpace,
    Discrete ActionSpace,
    IReadOnlyList<string> KwargNames)
{
    /// <summary>One line for listings: id, spaces, time limit, threshold.</summary>
    public override string ToString() =>
        $"{Id}: observation {ObservationSpace}, action {ActionSpace}, max_episode_steps {MaxEpisodeSteps?.ToString() ?? "none"}, " +
        $"reward_threshold {RewardThreshold?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}";
}
