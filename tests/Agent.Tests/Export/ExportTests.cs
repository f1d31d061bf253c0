using DqnStudy.Agent.Logging;
using DqnStudy.Agent.Runs;
using System.Diagnostics;
using System.Text.Json;
using DqnStudy.Agent.Dqn;
using DqnStudy.Agent.Export;
using DqnStudy.Agent.Models;
using DqnStudy.Agent.Tests.Config;
using DqnStudy.Agent.Tests.EndToEnd;
using DqnStudy.Agent.Tests.Models;
using DqnStudy.Agent.Tests.Recurrent;
using DqnStudy.Nn.Blas;

namespace DqnStudy.Agent.Tests.Export;

public sealed class ExportTests
{
    private static string TrainedSeedFolder(TinyRun run, params string[] overrides) => SavedModels.Train(run.Load(overrides), run.SeedFolder("a"));

    private static string Export(string folder, string outPath, ModelKind kind = ModelKind.Final)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        Assert.True(ExportJob.Run(folder, kind, outPath, output, error) == 0, error.ToString());
        return output.ToString();
    }

    /// <summary>Debian's python3-torch lives under /usr/bin/python3 (a pyenv python3 on PATH may lack it).</summary>
    private static string Python => File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    private static JsonDocument RunTorch<T>(string manifest, T inputs, string scratch)
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

    /// <summary>PyTorch's Q-values of the export on `inputs` equal DqnStudy's to float32 rounding, and so do greedy
    /// actions wherever the two best Q-values are apart; returns torch's answer for further checks.</summary>
    private static JsonDocument AssertTorchReproduces(TrainedAgent agent, string weights, List<float[]> inputs, string scratch)
    {
        int actions = agent.Network.Actions;
        float[] ours = FeedForward(agent).Forward(inputs.SelectMany(x => x).ToArray(), inputs.Count).ToArray();
        var torch = RunTorch(ExportJob.ManifestPath(weights), inputs, scratch);
        var q = torch.RootElement.GetProperty("q").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetSingle()).ToArray()).ToArray();
        Assert.Equal(inputs.Count, q.Length);
        for (int i = 0; i < inputs.Count; i++)
        {
            for (int a = 0; a < actions; a++)
            {
                float expected = ours[i * actions + a];
                Assert.True(Math.Abs(q[i][a] - expected) <= 1e-5f * Math.Max(1f, Math.Abs(expected)),
                    $"input {i} action {a}: torch {q[i][a]}, DqnStudy {expected}");
            }
            var row = ours.AsSpan(i * actions, actions).ToArray();
            float[] sorted = [.. row.OrderDescending()];
            if (sorted[0] - sorted[1] > 1e-4f)
                Assert.Equal(Greedy.ArgMax(row), torch.RootElement.GetProperty("argmax")[i].GetInt32());
        }
        return torch;
    }

    private static Nn.Layers.Mlp FeedForward(TrainedAgent agent) => ((FeedForwardAgentNetwork)agent.Network).Network;

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

        using var torch = AssertTorchReproduces(agent, weights, inputs, run.Folder);
        Assert.Equal(["0.bias", "0.weight", "2.bias", "2.weight", "4.bias", "4.weight"],
            torch.RootElement.GetProperty("tensors").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void PyTorchLoadsAConvExportAndGetsTheSameQValuesOnMinAtarObservations()
    {
        using var run = new TinyRun();
        File.WriteAllText(run.ConfigPath, MinAtarTrainerTests.Yaml);
        string folder = TrainedSeedFolder(run);
        string weights = Path.Combine(run.Folder, "breakout.safetensors");
        Export(folder, weights);

        // Real Breakout frames (channels-first 4×10×10, as the network reads them) under random actions, then random
        // values in [0, 1], which no game shows but which tell every weight of the 3×3 kernels apart.
        var agent = TrainedAgent.Load(folder, ModelKind.Final, new ManagedBlas(), maxBatch: 64);
        var env = agent.CreateEnvironment();
        int size = env.ObservationSpace.Size;
        var random = new Random(11);
        var inputs = new List<float[]>();
        float[] obs = env.Reset(1).ToArray();
        while (inputs.Count < 48)
        {
            inputs.Add((float[])obs.Clone());
            var step = env.Step(random.Next(env.ActionSpace.N));
            obs = step.Terminated || step.Truncated ? env.Reset(inputs.Count).ToArray() : step.Observation.ToArray();
        }
        Assert.Contains(inputs, x => x.Count(v => v != 0) > 3);
        while (inputs.Count < 64) inputs.Add([.. Enumerable.Range(0, size).Select(_ => (float)random.NextDouble())]);

        using var torch = AssertTorchReproduces(agent, weights, inputs, run.Folder);
        Assert.Equal(["0.bias", "0.weight", "3.bias", "3.weight", "5.bias", "5.weight"],
            torch.RootElement.GetProperty("tensors").EnumerateArray().Select(e => e.GetString()));
        using var manifest = JsonDocument.Parse(File.ReadAllText(ExportJob.ManifestPath(weights)));
        Assert.Equal([4, 10, 10], manifest.RootElement.GetProperty("input_shape").EnumerateArray().Select(e => e.GetInt32()));
        Assert.StartsWith("torch.nn.Sequential(torch.nn.Conv2d(4, 4, kernel_size=(3, 3), stride=(1, 1), padding=(0, 0)), torch.nn.ReLU(), torch.nn.Flatten(), torch.nn.Linear(256, 16)",
            manifest.RootElement.GetProperty("torch_module").GetString());
    }

    [Theory]
    [InlineData("rnn")]
    [InlineData("lstm")]
    public void PyTorchLoadsARecurrentExportAndGetsTheSameQValuesOverObservationSequences(string type)
    {
        using var run = new DrqnRun(type);
        string folder = SavedModels.Train(run.Load(), run.SeedFolder("a"));
        string weights = Path.Combine(folder, "..", "..", $"{type}.safetensors");
        Export(folder, weights);

        // Sequences of CartPoleNoVel observations (velocities zeroed) under random actions (reset and go on when an episode ends), and one
        // of random values far outside them; each read from a zero hidden state, as an episode is.
        var agent = TrainedAgent.Load(folder, ModelKind.Final, new ManagedBlas());
        var env = agent.CreateEnvironment();
        var random = new Random(3);
        const int Steps = 30;
        var sequences = new List<float[][]>();
        for (int s = 0; s < 4; s++)
        {
            var sequence = new List<float[]>();
            float[] obs = env.Reset(100 + s).ToArray();
            while (sequence.Count < Steps)
            {
                sequence.Add((float[])obs.Clone());
                var step = env.Step(random.Next(2));
                obs = step.Terminated || step.Truncated ? env.Reset(200 + sequence.Count).ToArray() : step.Observation.ToArray();
            }
            sequences.Add([.. sequence]);
        }
        int size = env.ObservationSpace.Size;
        sequences.Add([.. Enumerable.Range(0, Steps).Select(_ => Enumerable.Range(0, size).Select(_ => (float)(random.NextDouble() * 6 - 3)).ToArray())]);

        using var torch = RunTorch(ExportJob.ManifestPath(weights), sequences, run.SeedFolder("a"));
        var q = torch.RootElement.GetProperty("q");
        Assert.Equal(sequences.Count, q.GetArrayLength());
        for (int s = 0; s < sequences.Count; s++)
        {
            agent.BeginEpisode();
            for (int t = 0; t < Steps; t++)
            {
                float[] ours = agent.Network.QValues(sequences[s][t]).ToArray();
                for (int a = 0; a < ours.Length; a++)
                {
                    float theirs = q[s][t][a].GetSingle();
                    Assert.True(Math.Abs(theirs - ours[a]) <= 1e-5f * Math.Max(1f, Math.Abs(ours[a])),
                        $"sequence {s} step {t} action {a}: torch {theirs}, DqnStudy {ours[a]}");
                }
                if (Math.Abs(ours[0] - ours[1]) > 1e-4f) Assert.Equal(Greedy.ArgMax(ours), torch.RootElement.GetProperty("argmax")[s][t].GetInt32());
            }
        }
        Assert.Equal(["head.0.bias", "head.0.weight", "head.2.bias", "head.2.weight", "rnn.bias_hh_l0", "rnn.bias_ih_l0", "rnn.weight_hh_l0", "rnn.weight_ih_l0"],
            torch.RootElement.GetProperty("tensors").EnumerateArray().Select(e => e.GetString()));
        using var manifest = JsonDocument.Parse(File.ReadAllText(ExportJob.ManifestPath(weights)));
        Assert.Equal("recurrent", manifest.RootElement.GetProperty("architecture").GetString());
        Assert.Equal(type == "lstm" ? "LSTM" : "RNN", manifest.RootElement.GetProperty("recurrent").GetProperty("type").GetString());
        Assert.Contains("batch_first=True", manifest.RootElement.GetProperty("python").GetString());
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
        var fc1 = FeedForward(agent).DenseLayers[0];
        Assert.Equal([16, 4], tensors.Single(t => t.Name == "0.weight").Shape);
        Assert.Equal(fc1.Weight.ToArray(), tensors.Single(t => t.Name == "0.weight").Values);
        Assert.Equal([2], tensors.Single(t => t.Name == "4.bias").Shape);
        Assert.Equal(8 + headerLength + 4L * agent.Network.ParameterCount, bytes.Length);
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
