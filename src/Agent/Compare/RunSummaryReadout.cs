using System.Text.Json;
using Keys = DqnStudy.Agent.Runs.RunSummary.Keys;

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
            if (root.TryGetProperty(Keys.Versions, out JsonElement v) && v.ValueKind == JsonValueKind.Object)
            {
                foreach (JsonProperty p in v.EnumerateObject())
                {
                    versions[p.Name] = p.Value.ToString();
                }
            }
            double? seed = Number(root, Keys.Seed);
            return new RunSummaryReadout(
                Text(root, Keys.EnvId), seed is null ? null : (int)seed.Value, Text(root, Keys.ConfigName), Text(root, Keys.Status),
                Text(root, Keys.Failure), Number(root, Keys.TotalSteps), Number(root, Keys.FinalEvalReturnMean),
                Number(root, Keys.StepsPerSecond), Number(root, Keys.WallSeconds), Text(root, Keys.Blas),
                Text(root, Keys.BlasDescription), Text(root, Keys.Loss), versions);
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
