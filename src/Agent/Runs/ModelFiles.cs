using System.Text.Json;
using DqnStudy.Agent.Logging;
using DqnStudy.Nn.Layers;

namespace DqnStudy.Agent.Runs;

/// <summary>Which saved Q-network: the one at the best greedy evaluation (SB3's EvalCallback best_model) or the
/// last one (the policy training ended with).</summary>
public enum ModelKind { Best, Final }

/// <summary>
/// The trained Q-networks of a seed folder: best_model.bin and final_model.bin (the network file format of
/// <see cref="Mlp.Save"/>: architecture, then float32 weights), each with a .json beside it saying when it was saved
/// and how it evaluated. Both are written through a temporary file and a rename, the .bin first, so a crash leaves
/// the previous pair or the new one; a .json never describes a network that is not on disk.
/// </summary>
public static class ModelFiles
{
    public static string FileName(ModelKind kind) => kind == ModelKind.Best ? RunFolder.BestModel : RunFolder.FinalModel;

    public static string InfoFileName(ModelKind kind) => Path.ChangeExtension(FileName(kind), ".json");

    public static string PathOf(string folder, ModelKind kind) => RunFolder.PathOf(folder, FileName(kind));

    public static string Name(ModelKind kind) => kind == ModelKind.Best ? "best" : "final";

    public static void Save(string folder, ModelKind kind, Mlp network, ModelInfo info)
    {
        AtomicFile.Write(PathOf(folder, kind), stream =>
        {
            using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            network.Save(writer);
        });
        AtomicFile.WriteAllText(Path.Combine(folder, InfoFileName(kind)), JsonSerializer.Serialize(info, JsonOptions));
    }

    /// <summary>Reads the weights into `network`, whose architecture must match the file's (else InvalidDataException).</summary>
    public static void Load(string folder, ModelKind kind, Mlp network)
    {
        using var stream = new FileStream(PathOf(folder, kind), FileMode.Open, FileAccess.Read, FileShare.Read);
        using var reader = new BinaryReader(stream);
        network.Load(reader);
    }

    /// <summary>The .json beside a model, or null when there is none (or it cannot be read).</summary>
    public static ModelInfo? ReadInfo(string folder, ModelKind kind)
    {
        string path = Path.Combine(folder, InfoFileName(kind));
        if (!File.Exists(path)) return null;
        try { return JsonSerializer.Deserialize<ModelInfo>(File.ReadAllText(path)); }
        catch (JsonException) { return null; }
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };
}
