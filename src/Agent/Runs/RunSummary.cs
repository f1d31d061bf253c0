using System.Text.Json;
using System.Text.Json.Serialization;
using DqnStudy.Agent.Logging;

namespace DqnStudy.Agent.Runs;

/// <summary>summary.json: the run's final figures. Written at start (status "running"), at every
/// evaluation and at the end, always through a temporary file and a rename so it is never torn.</summary>
public sealed class RunSummary
{
    [JsonPropertyName(Keys.EnvId)] public string EnvId { get; set; } = "";
    [JsonPropertyName(Keys.Seed)] public int Seed { get; set; }
    [JsonPropertyName(Keys.ConfigName)] public string ConfigName { get; set; } = "";
    [JsonPropertyName(Keys.Status)] public string Status { get; set; } = "running";
    [JsonPropertyName(Keys.Failure)] public string? Failure { get; set; }
    [JsonPropertyName(Keys.TotalSteps)] public long TotalSteps { get; set; }
    [JsonPropertyName(Keys.StepsDone)] public long StepsDone { get; set; }
    [JsonPropertyName(Keys.Episodes)] public long Episodes { get; set; }
    [JsonPropertyName(Keys.Updates)] public long Updates { get; set; }
    [JsonPropertyName(Keys.FinalEvalReturnMean)] public double? FinalEvalReturnMean { get; set; }
    [JsonPropertyName(Keys.FinalEvalReturnStd)] public double? FinalEvalReturnStd { get; set; }
    [JsonPropertyName(Keys.FinalEvalStep)] public long? FinalEvalStep { get; set; }
    [JsonPropertyName(Keys.BestEvalReturnMean)] public double? BestEvalReturnMean { get; set; }
    [JsonPropertyName(Keys.BestEvalReturnStd)] public double? BestEvalReturnStd { get; set; }
    [JsonPropertyName(Keys.BestEvalStep)] public long? BestEvalStep { get; set; }
    [JsonPropertyName(Keys.BestModel)] public string? BestModel { get; set; }
    [JsonPropertyName(Keys.FinalModel)] public string? FinalModel { get; set; }
    [JsonPropertyName(Keys.Last100TrainReturnMean)] public double? Last100TrainReturnMean { get; set; }
    [JsonPropertyName(Keys.StepsPerSecond)] public double StepsPerSecond { get; set; }
    [JsonPropertyName(Keys.UpdatesPerSecond)] public double UpdatesPerSecond { get; set; }
    [JsonPropertyName(Keys.MicrosecondsPerUpdate)] public double? MicrosecondsPerUpdate { get; set; }
    [JsonPropertyName(Keys.WallSeconds)] public double WallSeconds { get; set; }
    [JsonPropertyName(Keys.Blas)] public string Blas { get; set; } = "";
    [JsonPropertyName(Keys.BlasDescription)] public string BlasDescription { get; set; } = "";
    [JsonPropertyName(Keys.Loss)] public string Loss { get; set; } = "";
    [JsonPropertyName(Keys.ResumedFromStep)] public long? ResumedFromStep { get; set; }
    [JsonPropertyName(Keys.Versions)] public Dictionary<string, string> Versions { get; set; } = CurrentVersions();

    /// <summary>summary.json's keys: the writer's attributes above and every reader (compare's tolerant readout) use these.</summary>
    public static class Keys
    {
        public const string EnvId = "env_id";
        public const string Seed = "seed";
        public const string ConfigName = "config_name";
        public const string Status = "status";
        public const string Failure = "failure";
        public const string TotalSteps = "total_steps";
        public const string StepsDone = "steps_done";
        public const string Episodes = "episodes";
        public const string Updates = "updates";
        public const string FinalEvalReturnMean = "final_eval_return_mean";
        public const string FinalEvalReturnStd = "final_eval_return_std";
        public const string FinalEvalStep = "final_eval_step";
        public const string BestEvalReturnMean = "best_eval_return_mean";
        public const string BestEvalReturnStd = "best_eval_return_std";
        public const string BestEvalStep = "best_eval_step";
        public const string BestModel = "best_model";
        public const string FinalModel = "final_model";
        public const string Last100TrainReturnMean = "last100_train_return_mean";
        public const string StepsPerSecond = "steps_per_second";
        public const string UpdatesPerSecond = "updates_per_second";
        public const string MicrosecondsPerUpdate = "microseconds_per_update";
        public const string WallSeconds = "wall_seconds";
        public const string Blas = "blas";
        public const string BlasDescription = "blas_description";
        public const string Loss = "loss";
        public const string ResumedFromStep = "resumed_from_step";
        public const string Versions = "versions";
    }

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
