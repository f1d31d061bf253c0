using System.Text.Json;
using DqnStudy.Agent.Logging;
using DqnStudy.Nn.Layers;

namespace DqnStudy.Agent.Runs;

/// <summary>Which saved Q-network: the one at the best greedy evaluation (SB3's EvalCallback best_model) or the
/// last one (the policy training ended with).</summary>
public enum ModelKind { Best, Final }

/// <summary>
/// The trained Q-networks of a seed folder: best_model.bin and final_model.bin (the learner's model format: for an
/// MLP or conv network <see cref="Mlp.Save"/>'s, for a recurrent one RecurrentQNetwork.SaveModel's; architecture,
/// then float32 weights), each with a .json beside it saying when it was saved
/// and how it evaluated. Both are written through a temporary file and a rename, the .bin first, so a crash leaves
/// the previous pair or the new one; a .json never describes a network that is not on disk.
/// </summary>
public static class ModelFiles
{
    public static string FileName(ModelKind kind) => kind == ModelKind.Best ? RunFolder.BestModel : RunFolder.FinalModel;

    public static string InfoFileName(ModelKind kind) => Path.ChangeExtension(FileName(kind), ".json");

    public static string PathOf(string folder, ModelKind kind) => RunFolder.PathOf(folder, FileName(kind));

    public static string Name(ModelKind kind) => kind == ModelKind.Best ? "best" : "final";

    /// <param name="write">writes the network (e.g. <see cref="Mlp.Save"/>).</param>
    public static void Save(string folder, ModelKind kind, Action<BinaryWriter> write, ModelInfo info)
    {
        ArgumentNullException.ThrowIfNull(write);
        AtomicFile.Write(PathOf(folder, kind), stream =>
        {
            using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            write(writer);
        });
        AtomicFile.WriteAllText(Path.Combine(folder, InfoFileName(kind)), JsonSerializer.Serialize(info, JsonOptions));
    }

    /// <summary>Reads the model with `read` (e.g. <see cref="Mlp.Load"/>), which throws InvalidDataException when the
    /// file's architecture is not the network's.</summary>
    public static void Load(string folder, ModelKind kind, Action<BinaryReader> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        using var stream = new FileStream(PathOf(folder, kind), FileMode.Open, FileAccess.Read, FileShare.Read);
        using var reader = new BinaryReader(stream);
        read(reader);
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
