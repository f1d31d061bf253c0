using System.Text.Json.Serialization;

namespace DqnStudy.Agent.Runs;

/// <summary>best_model.json / final_model.json: which network, saved at which env step, and the greedy evaluation
/// that made it the best (or the last one before the end; null when evaluation was off).</summary>
public sealed record ModelInfo
{
    [JsonPropertyName("model")] public string Model { get; init; } = "";
    [JsonPropertyName("file")] public string File { get; init; } = "";
    [JsonPropertyName("env_id")] public string EnvId { get; init; } = "";
    [JsonPropertyName("network")] public string Network { get; init; } = "";
    [JsonPropertyName("step")] public long Step { get; init; }
    [JsonPropertyName("eval_step")] public long? EvalStep { get; init; }
    [JsonPropertyName("eval_return_mean")] public double? EvalReturnMean { get; init; }
    [JsonPropertyName("eval_return_std")] public double? EvalReturnStd { get; init; }
    [JsonPropertyName("eval_episodes")] public int? EvalEpisodes { get; init; }
}
