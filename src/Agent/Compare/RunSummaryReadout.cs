using System.Text.Json;

namespace DqnStudy.Agent.Compare;

/// <summary>The reader's side of summary.json: the fields a comparison uses, read tolerantly (every field may be missing:
/// older runs, other tools). The writer's side, strict and complete, is <see cref="Runs.RunSummary"/>.</summary>
public sealed record RunSummaryReadout(
    string? EnvId, int? Seed, string? ConfigName, string? Status, string? Failure, double? TotalSteps,
    double? FinalEvalReturnMean, double? StepsPerSecond, double? WallSeconds, string? Blas, string? BlasDescription,
    string? Loss, IReadOnlyDictionary<string, string> Versions)
{
    public static RunSummaryReadout Read(string path)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
            JsonElement root = document.RootElement;
            var versions = new Dictionary<string, string>(StringComparer.Ordinal);
            if (root.TryGetProperty("versions", out JsonElement v) && v.ValueKind == JsonValueKind.Object)
            {
                foreach (JsonProperty p in v.EnumerateObject())
                {
                    versions[p.Name] = p.Value.ToString();
                }
            }
            double? seed = Number(root, "seed");
            return new RunSummaryReadout(
                Text(root, "env_id"), seed is null ? null : (int)seed.Value, Text(root, "config_name"), Text(root, "status"),
                Text(root, "failure"), Number(root, "total_steps"), Number(root, "final_eval_return_mean"),
                Number(root, "steps_per_second"), Number(root, "wall_seconds"), Text(root, "blas"),
                Text(root, "blas_description"), Text(root, "loss"), versions);
        }
        catch (JsonException e)
        {
            throw new RunDataException(path, $"not valid JSON ({e.Message})");
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out JsonElement e) && e.ValueKind != JsonValueKind.Null ? e.ToString() : null;

    private static double? Number(JsonElement root, string name) =>
        root.TryGetProperty(name, out JsonElement e) && e.ValueKind == JsonValueKind.Number ? e.GetDouble() : null;
}
