using DqnStudy.Agent.Logging;
using DqnStudy.Agent.Runs;
using System.Diagnostics;
using System.Text.Json;
using DqnStudy.Agent.Dqn;
using DqnStudy.Agent.Export;
using DqnStudy.Agent.Models;
using DqnStudy.Agent.Tests.Config;
using DqnStudy.Agent.Tests.EndToEnd;
using DqnStudy.Nn.Blas;

namespace DqnStudy.Agent.Tests.Export;

public sealed class ExportTests
{
    private static string TrainedSeedFolder(TinyRun run, params string[] overrides)
    {
        string folder = run.SeedFolder("a");
        var config = run.Load(overrides);
        File.WriteAllText(Path.Combine(folder, "config.yaml"), DqnStudy.Agent.Config.ConfigWriter.ToYaml(config));
        using var trainer = new DqnTrainer(config, 0, folder, new ManagedBlas());
        trainer.Run(CancellationToken.None);
        return folder;
    }

    private static string Export(string folder, string outPath, ModelKind kind = ModelKind.Final)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        Assert.True(ExportJob.Run(folder, kind, outPath, output, error) == 0, error.ToString());
        return output.ToString();
    }

    /// <summary>Debian's python3-torch lives under /usr/bin/python3 (a pyenv python3 on PATH may lack it).</summary>
    private static string Python => File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    private static JsonDocument RunTorch(string manifest, float[][] inputs, string scratch)
    {
        string inputsPath = Path.Combine(scratch, "inputs.json");
        File.WriteAllText(inputsPath, JsonSerializer.Serialize(inputs));
        string script = Path.Combine(Repo.Root, "tests", "Agent.Tests", "Export", "torch_load_export.py");
        var start = new ProcessStartInfo(Python, [script, manifest, inputsPath]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = System.Diagnostics.Process.Start(start)!;
        string stdout = process.StandardOutput.ReadToEnd(), stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0,
            $"PyTorch could not load the export (install Debian's python3-torch; .ci/run does):\n{stderr}");
        return JsonDocument.Parse(stdout);
    }

    [Theory]
    [InlineData("relu")]
    [InlineData("leaky_relu")]
    [InlineData("tanh")]
    public void PyTorchLoadsTheExportIntoTheSequentialAndGetsTheSameQValues(string activation)
    {
        using var run = new TinyRun();
        string folder = TrainedSeedFolder(run, $"network.activation={activation}", "network.leaky_slope=0.2");
        string weights = Path.Combine(run.Folder, "agent.safetensors");
        Export(folder, weights);

        // Observations the agent meets (a few CartPole episodes under random actions) and random ones far outside them.
        var agent = TrainedAgent.Load(folder, ModelKind.Final, new ManagedBlas(), maxBatch: 64);
        var env = agent.CreateEnvironment();
        var random = new Random(5);
        var inputs = new List<float[]>();
        float[] obs = env.Reset(1).ToArray();
        while (inputs.Count < 48)
        {
            inputs.Add((float[])obs.Clone());
            var step = env.Step(random.Next(2));
            obs = step.Terminated || step.Truncated ? env.Reset(inputs.Count).ToArray() : step.Observation.ToArray();
        }
        while (inputs.Count < 64) inputs.Add([.. Enumerable.Range(0, 4).Select(_ => (float)(random.NextDouble() * 8 - 4))]);

        float[] ours = agent.QValues(inputs.SelectMany(x => x).ToArray(), inputs.Count).ToArray();
        using var torch = RunTorch(ExportJob.ManifestPath(weights), [.. inputs], run.Folder);
        var q = torch.RootElement.GetProperty("q").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetSingle()).ToArray()).ToArray();
        Assert.Equal(inputs.Count, q.Length);
        for (int i = 0; i < inputs.Count; i++)
        {
            for (int a = 0; a < 2; a++)
            {
                float expected = ours[i * 2 + a];
                Assert.True(Math.Abs(q[i][a] - expected) <= 1e-5f * Math.Max(1f, Math.Abs(expected)),
                    $"input {i} action {a}: torch {q[i][a]}, DqnStudy {expected}");
            }
            if (Math.Abs(ours[i * 2] - ours[i * 2 + 1]) > 1e-4f)
                Assert.Equal(Greedy.ArgMax(ours.AsSpan(i * 2, 2)), torch.RootElement.GetProperty("argmax")[i].GetInt32());
        }
        Assert.Equal(["0.bias", "0.weight", "2.bias", "2.weight", "4.bias", "4.weight"],
            torch.RootElement.GetProperty("tensors").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void TheFileIsSafetensorsWithTorchNamesShapesAndTheNetworksValues()
    {
        using var run = new TinyRun();
        string folder = TrainedSeedFolder(run);
        string weights = Path.Combine(run.Folder, "best.safetensors");
        Export(folder, weights, ModelKind.Best);

        byte[] bytes = File.ReadAllBytes(weights);
        long headerLength = BitConverter.ToInt64(bytes, 0);
        Assert.Equal(0, headerLength % 8);
        var (tensors, metadata) = SafetensorsFile.Read(weights);
        var agent = TrainedAgent.Load(folder, ModelKind.Best, new ManagedBlas());
        var fc1 = agent.Network.DenseLayers[0];
        Assert.Equal([16, 4], tensors.Single(t => t.Name == "0.weight").Shape);
        Assert.Equal(fc1.Weight.ToArray(), tensors.Single(t => t.Name == "0.weight").Values);
        Assert.Equal([2], tensors.Single(t => t.Name == "4.bias").Shape);
        Assert.Equal(8 + headerLength + 4L * agent.Network.Parameters.Count, bytes.Length);
        Assert.Equal("torch.nn.Sequential(torch.nn.Linear(4, 16), torch.nn.ReLU(), torch.nn.Linear(16, 16), torch.nn.ReLU(), torch.nn.Linear(16, 2))",
            metadata["torch_module"]);

        using var manifest = JsonDocument.Parse(File.ReadAllText(ExportJob.ManifestPath(weights)));
        Assert.Equal("best.safetensors", manifest.RootElement.GetProperty("weights").GetString());
        Assert.Equal("CartPole-v1", manifest.RootElement.GetProperty("env_id").GetString());
        Assert.Equal("best", manifest.RootElement.GetProperty("model").GetString());
        Assert.Equal([4], manifest.RootElement.GetProperty("input_shape").EnumerateArray().Select(e => e.GetInt32()));
    }

    [Fact]
    public void ExportNeverOverwritesAndNamesBadInput()
    {
        using var run = new TinyRun();
        string folder = TrainedSeedFolder(run);
        string weights = Path.Combine(run.Folder, "agent.safetensors");
        File.WriteAllText(weights, "not mine");
        var error = new StringWriter();
        Assert.Equal(2, ExportJob.Run(folder, ModelKind.Final, weights, TextWriter.Null, error));
        Assert.Contains("already exists", error.ToString());
        Assert.Equal("not mine", File.ReadAllText(weights));

        error = new StringWriter();
        Assert.Equal(2, ExportJob.Run(folder, ModelKind.Final, Path.Combine(run.Folder, "agent.pt"), TextWriter.Null, error));
        Assert.Contains(".safetensors", error.ToString());
        error = new StringWriter();
        Assert.Equal(2, ExportJob.Run(Path.Combine(run.Folder, "missing"), ModelKind.Final, Path.Combine(run.Folder, "x.safetensors"), TextWriter.Null, error));
        Assert.Contains("no such folder", error.ToString());
    }
}
