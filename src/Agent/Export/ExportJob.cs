using DqnStudy.Agent.Logging;
using DqnStudy.Agent.Runs;
using System.Text.Json;
using DqnStudy.Agent.Dqn;
using DqnStudy.Agent.Models;
using DqnStudy.Nn.Blas;

namespace DqnStudy.Agent.Export;

/// <summary>
/// `export SEED_FOLDER --out FILE`: writes the chosen model's Q-network as FILE (safetensors; tensors named and shaped
/// as the state_dict of the equivalent torch module, see <see cref="TorchExport"/>) and FILE's .json manifest beside it. Refuses to overwrite
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
            var torch = TorchExport.For(agent.Network);
            var manifest = new ExportManifest
            {
                Weights = Path.GetFileName(outPath),
                Architecture = torch.Architecture,
                TorchModule = torch.TorchModule,
                Python = torch.Python,
                Recurrent = torch.Recurrent,
                LayersModule = torch.LayersModule,
                Layers = torch.Layers.Select(m => new ManifestLayer(m.Index, m.Type, m.Constructor)).ToList(),
                InputShape = torch.InputShape,
                Input = torch.Input,
                Output = torch.Recurrent is null
                    ? "Q-values, one per action (batch, actions); the greedy policy is their argmax"
                    : "Q-values, one per action and step (batch, time, actions); the greedy policy is their argmax at each step",
                Actions = agent.Network.Actions,
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
                ["architecture"] = manifest.Architecture,
                ["torch_module"] = manifest.TorchModule,
                ["env_id"] = manifest.EnvId,
                ["model"] = manifest.Model,
            };
            SafetensorsFile.Write(outPath, torch.Tensors, metadata);
            Logging.AtomicFile.WriteAllText(manifestPath, JsonSerializer.Serialize(manifest, new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
            output.WriteLine($"wrote {outPath} ({agent.Network.ParameterCount:N0} float32 parameters of {agent.Network.Describe()}) and {manifestPath}");
            output.WriteLine(torch.Recurrent is null
                ? $"load it with: model = {manifest.TorchModule}; model.load_state_dict(safetensors.torch.load_file(\"{Path.GetFileName(outPath)}\"))"
                : $"load it with the module in {Path.GetFileName(manifestPath)}'s \"python\", then model.load_state_dict(safetensors.torch.load_file(\"{Path.GetFileName(outPath)}\"))");
            return ExitOk;
        }
        catch (ModelLoadException e)
        {
            error.WriteLine($"error: {e.Message}");
            return ExitBadInput;
        }
    }
}
