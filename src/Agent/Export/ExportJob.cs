using DqnStudy.Agent.Logging;
using DqnStudy.Agent.Runs;
using System.Text.Json;
using DqnStudy.Agent.Dqn;
using DqnStudy.Agent.Models;
using DqnStudy.Nn.Blas;

namespace DqnStudy.Agent.Export;

/// <summary>
/// `export SEED_FOLDER --out FILE`: writes the chosen model's Q-network as FILE (safetensors; tensors named and shaped
/// as the state_dict of the equivalent torch.nn.Sequential) and FILE's .json manifest beside it. Refuses to overwrite
/// a file it did not write (an existing FILE or manifest is an error).
/// </summary>
public static class ExportJob
{
    public const int ExitOk = 0, ExitBadInput = 2;

    public static string ManifestPath(string weightsPath) => Path.ChangeExtension(weightsPath, ".json");

    public static int Run(string folder, ModelKind kind, string outPath, TextWriter output, TextWriter error)
    {
        try
        {
            string manifestPath = ManifestPath(outPath);
            if (!outPath.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase))
                throw new ModelLoadException($"--out {outPath}: the file name must end in .safetensors.");
            foreach (string path in new[] { outPath, manifestPath })
                if (File.Exists(path)) throw new ModelLoadException($"{path} already exists; choose another --out (export never overwrites).");
            if (Path.GetDirectoryName(Path.GetFullPath(outPath)) is { } dir && !Directory.Exists(dir))
                throw new ModelLoadException($"--out {outPath}: the folder {dir} does not exist.");
            if (EvaluateJob.SeedFolders(folder) is { Count: > 1 } seeds)
                throw new ModelLoadException($"{folder} holds {seeds.Count} seed folders; export one of them (e.g. {seeds[0]}).");

            var agent = TrainedAgent.Load(folder, kind, new ManagedBlas());
            var network = agent.Network;
            var manifest = new ExportManifest
            {
                Weights = Path.GetFileName(outPath),
                TorchModule = TorchSequential.Constructor(network),
                Layers = TorchSequential.Modules(network).Select(m => new ManifestLayer(m.Index, m.Type, m.Constructor)).ToList(),
                InputShape = network.InputImage is { } image ? [image.Channels, image.Height, image.Width] : [network.InputSize],
                Output = "Q-values, one per action (batch, actions); the greedy policy is their argmax",
                Actions = network.OutputSize,
                EnvId = agent.Config.EnvId,
                EnvKwargs = agent.Config.EnvKwargs.ToDictionary(kv => kv.Key, kv => kv.Value),
                Model = ModelFiles.Name(kind),
                Source = Path.GetFullPath(agent.ModelPath),
                Step = agent.Info?.Step,
                EvalReturnMean = agent.Info?.EvalReturnMean,
                ConfigName = agent.Config.Name,
                Loss = DqnComponents.Name(agent.Config.Loss.Type),
                DqnStudyVersion = typeof(ExportJob).Assembly.GetName().Version?.ToString() ?? "0",
            };
            var metadata = new Dictionary<string, string>
            {
                ["format"] = "pt",
                ["torch_module"] = manifest.TorchModule,
                ["env_id"] = manifest.EnvId,
                ["model"] = manifest.Model,
            };
            SafetensorsFile.Write(outPath, TorchSequential.StateDict(network), metadata);
            Logging.AtomicFile.WriteAllText(manifestPath, JsonSerializer.Serialize(manifest, new JsonSerializerOptions { WriteIndented = true }));
            output.WriteLine($"wrote {outPath} ({network.Parameters.Count:N0} float32 parameters of {network.Describe()}) and {manifestPath}");
            output.WriteLine($"load it with: model = {manifest.TorchModule}; model.load_state_dict(safetensors.torch.load_file(\"{Path.GetFileName(outPath)}\"))");
            return ExitOk;
        }
        catch (ModelLoadException e)
        {
            error.WriteLine($"error: {e.Message}");
            return ExitBadInput;
        }
    }
}
