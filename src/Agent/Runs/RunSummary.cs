using System.Text.Json;
using System.Text.Json.Serialization;
using DqnStudy.Agent.Logging;

namespace DqnStudy.Agent.Runs;

/// <summary>summary.json: the run's final figures. Written at start (status "running"), at every
/// evaluation and at the end, always through a temporary file and a rename so it is never torn.</summary>
public sealed class RunSummary
{

    [JsonPropertyName("env_id")] public string EnvId { get; set; } = "";
    [JsonPropertyName("seed")] public int Seed { get; set; }
    [JsonPropertyName("config_name")] public string ConfigName { get; set; } = "";
    [JsonPropertyName("status")] public string Status { get; set; } = "running";
    [JsonPropertyName("failure")] public string? Failure { get; set; }
    [JsonPropertyName("total_steps")] public long TotalSteps { get; set; }
    [JsonPropertyName("steps_done")] public long StepsDone { get; set; }
    [JsonPropertyName("episodes")] public long Episodes { get; set; }
    [JsonPropertyName("updates")] public long Updates { get; set; }
    [JsonPropertyName("final_eval_return_mean")] public double? FinalEvalReturnMean { get; set; }
    [JsonPropertyName("final_eval_return_std")] public double? FinalEvalReturnStd { get; set; }
    [JsonPropertyName("final_eval_step")] public long? FinalEvalStep { get; set; }
    [JsonPropertyName("best_eval_return_mean")] public double? BestEvalReturnMean { get; set; }
    [JsonPropertyName("best_eval_return_std")] public double? BestEvalReturnStd { get; set; }
    [JsonPropertyName("best_eval_step")] public long? BestEvalStep { get; set; }
    [JsonPropertyName("best_model")] public string? BestModel { get; set; }
    [JsonPropertyName("final_model")] public string? FinalModel { get; set; }
    [JsonPropertyName("last100_train_return_mean")] public double? Last100TrainReturnMean { get; set; }
    [JsonPropertyName("steps_per_second")] public double StepsPerSecond { get; set; }
    [JsonPropertyName("updates_per_second")] public double UpdatesPerSecond { get; set; }
    [JsonPropertyName("microseconds_per_update")] public double? MicrosecondsPerUpdate { get; set; }
    [JsonPropertyName("wall_seconds")] public double WallSeconds { get; set; }
    [JsonPropertyName("blas")] public string Blas { get; set; } = "";
    [JsonPropertyName("blas_description")] public string BlasDescription { get; set; } = "";
    [JsonPropertyName("loss")] public string Loss { get; set; } = "";
    [JsonPropertyName("resumed_from_step")] public long? ResumedFromStep { get; set; }
    [JsonPropertyName("versions")] public Dictionary<string, string> Versions { get; set; } = CurrentVersions();

    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    public void Write(string folder) => AtomicFile.WriteAllText(RunFolder.PathOf(folder, RunFolder.Summary), JsonSerializer.Serialize(this, Options));

    /// <summary>For a full disk only, where the atomic write has no room for its temporary file: rewrites the existing
    /// summary.json in place. A summary fits in the block it already has, so the rewrite needs no new space.</summary>
    public void WriteInPlace(string folder)
    {
        byte[] bytes = System.Text.Encoding.UTF8.GetBytes(JsonSerializer.Serialize(this, Options));
        using var stream = new FileStream(RunFolder.PathOf(folder, RunFolder.Summary), FileMode.Open, FileAccess.Write, FileShare.Read);
        if (bytes.Length > Math.Max(stream.Length, 4096)) throw new IOException("summary.json would grow past the space it has.");
        stream.Write(bytes);
        stream.SetLength(bytes.Length);
        stream.Flush(flushToDisk: true);
    }

    public static RunSummary? TryRead(string folder)
    {
        string path = RunFolder.PathOf(folder, RunFolder.Summary);
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<RunSummary>(File.ReadAllText(path));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static Dictionary<string, string> CurrentVersions() => new()
    {
        ["dqnstudy"] = typeof(RunSummary).Assembly.GetName().Version?.ToString() ?? "0",
        ["dotnet"] = Environment.Version.ToString(),
        ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
        ["cpu_count"] = Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
