using DqnStudy.Agent.Cli;
using DqnStudy.Agent.Config;
using DqnStudy.Agent.Studies.Gradients;
using DqnStudy.Nn.Blas;
using DqnStudy.Nn.Layers;
using DqnStudy.Nn.Losses;

namespace DqnStudy.Agent.Tests.Studies;

public sealed class GradientCheckerTests
{
    private static readonly IBlas Blas = new ManagedBlas();

    [Theory]
    [InlineData("huber.yaml")]
    [InlineData("clipped.yaml")]
    [InlineData("mse.yaml")]
    [InlineData("cleanrl-cartpole.yaml")]
    [InlineData("study-sigmoid-xavier.yaml")]
    [InlineData("study-relu-aggressive.yaml")]
    [InlineData("study-leaky-relu-aggressive.yaml")]
    [InlineData("study-rnn-dqn-rnn-noclip.yaml")]
    [InlineData("study-rnn-dqn-lstm.yaml")]
    [InlineData("study-rnn-dqn-mlp.yaml")]
    [InlineData("minatar-breakout-huber.yaml")]
    [InlineData("minatar-freeway-clipped.yaml")]
    public void ShippedConfigs_Pass(string file)
    {
        DqnConfig config = ConfigLoader.Load(StudyTestPaths.Config(file));
        GradCheckReport report = GradientChecker.Run(GradCheckSetup.Create(config, Blas, batch: 3, seed: 1),
                                                     new GradCheckSettings(MaxChecksPerTensor: 64));
        Assert.True(report.Passed, Describe(report));
        Assert.All(report.Tensors, t => Assert.True(t.Checked > t.Elements / 2 || t.Checked >= 32, $"{t.Name}: only {t.Checked} checked"));
    }

    [Theory]
    [InlineData("rnn", "tanh", "huber")]
    [InlineData("lstm", "relu", "clipped_delta")]
    [InlineData("mlp", "sigmoid", "mse")]
    [InlineData("mlp", "leaky_relu", "huber")]
    public void RecurrentAndOtherActivations_Pass(string type, string activation, string loss)
    {
        string folder = StudyTestPaths.TempFolder();
        string path = Path.Combine(folder, "net.yaml");
        File.WriteAllText(path, $$"""
            env_id: CartPoleNoVel-v1
            network: { type: {{type}}, hidden_sizes: [12, 8], activation: {{activation}} }
            loss: { type: {{loss}} }
            dqn: { sequence_length: 6 }
            """);
        GradCheckReport report = GradientChecker.Run(GradCheckSetup.Create(ConfigLoader.Load(path), Blas, batch: 3, seed: 2),
                                                     new GradCheckSettings());
        Assert.True(report.Passed, Describe(report));
        if (type != "mlp")
        {
            Assert.Contains(report.Tensors, t => t.Name == type + ".weight_hh" && t.Checked >= 144 && t.SkippedAtKinks == 0);
        }
    }

    [Fact]
    public void BrokenLayer_Fails()
    {
        // A tanh whose Backward flips the sign of dx: the forward is right, the backward is not.
        var subject = new LayerStackSubject(broken: true);
        GradCheckReport report = GradientChecker.Run(subject, new GradCheckSettings());
        Assert.False(report.Passed);
        Assert.False(report.Tensors.Single(t => t.Name == "fc1.weight").Passed);   // below the broken layer: wrong
        Assert.True(report.Tensors.Single(t => t.Name == "fc2.weight").Passed);    // above it: still right
        Assert.True(GradientChecker.Run(new LayerStackSubject(broken: false), new GradCheckSettings()).Passed);
    }

    [Fact]
    public void OneCorruptedGradientElement_FailsOnAShippedConfig()
    {
        // 5% error in a single element (5x the tolerance) of fc2.weight must be seen: the check is not blind to small mistakes.
        DqnConfig config = ConfigLoader.Load(StudyTestPaths.Config("huber.yaml"));
        var subject = new CorruptedSubject(GradCheckSetup.Create(config, Blas, batch: 3, seed: 1), tensor: 2);
        GradCheckReport report = GradientChecker.Run(subject, new GradCheckSettings(MaxChecksPerTensor: 64));
        Assert.False(report.Passed);
        Assert.Equal(["fc2.weight"], report.Tensors.Where(t => !t.Passed).Select(t => t.Name));
    }

    [Fact]
    public void OneCorruptedConvGradientElement_FailsOnTheMinAtarNetwork()
    {
        // The same 5% error in conv1.weight (tensor 0): the check covers the convolution's backward too.
        DqnConfig config = ConfigLoader.Load(StudyTestPaths.Config("minatar-breakout-huber.yaml"));
        var subject = new CorruptedSubject(GradCheckSetup.Create(config, Blas, batch: 3, seed: 1), tensor: 0);
        GradCheckReport report = GradientChecker.Run(subject, new GradCheckSettings(MaxChecksPerTensor: 64));
        Assert.False(report.Passed);
        Assert.Equal(["conv1.weight"], report.Tensors.Where(t => !t.Passed).Select(t => t.Name));
    }

    [Fact]
    public void AConvStackThatDoesNotFitIsBadInput()
    {
        string folder = StudyTestPaths.TempFolder();
        string path = Path.Combine(folder, "big.yaml");
        File.WriteAllText(path, "extends: " + StudyTestPaths.Config("minatar-breakout-huber.yaml") + "\nnetwork:\n  conv: [{filters: 4, kernel: 12}]\n");
        var output = new StringWriter();
        var error = new StringWriter();
        Assert.Equal(GradCheckCommand.BadInput, GradCheckCommand.Run(path, 2, 0, "managed", new GradCheckSettings(), output, error));
        Assert.Contains("network.conv[0] (filters 4, kernel 12, stride 1, padding 0) cannot take MinAtar/Breakout-v0's 4×10×10 observations", error.ToString());
    }

    [Fact]
    public void Command_ExitCodes()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        Assert.Equal(GradCheckCommand.Passed, GradCheckCommand.Run(StudyTestPaths.Config("mse.yaml"), 2, 0, "managed",
                                                                   new GradCheckSettings(MaxChecksPerTensor: 16), output, error));
        Assert.Contains("fc1.weight", output.ToString());
        Assert.Contains("PASS: all 6 tensors", output.ToString());
        Assert.Equal(GradCheckCommand.BadInput, GradCheckCommand.Run(null, 2, 0, null, new GradCheckSettings(), output, error));
        Assert.Equal(GradCheckCommand.BadInput, GradCheckCommand.Run("no-such-config.yaml", 2, 0, null, new GradCheckSettings(), output, error));
        Assert.Equal(GradCheckCommand.BadInput, GradCheckCommand.Run(StudyTestPaths.Config("mse.yaml"), 0, 0, null, new GradCheckSettings(), output, error));
        Assert.Equal(GradCheckCommand.Failed, GradCheckCommand.Run(StudyTestPaths.Config("mse.yaml"), 2, 0, "managed",
                                                                   new GradCheckSettings(Tolerance: 1e-12, MaxChecksPerTensor: 16), output, error));
    }

    private static string Describe(GradCheckReport report)
    {
        var text = new StringWriter();
        GradientChecker.Write(report, text);
        return text.ToString();
    }

    /// <summary>Dense(4→6) → tanh (optionally sign-flipped in Backward) → Dense(6→2), MSE on a fixed batch.</summary>
    private sealed class LayerStackSubject : IGradientSubject
    {
        private const int Batch = 3;
        private readonly Dense fc1 = new("fc1", Blas, 4, 6, Batch);
        private readonly ILayer act;
        private readonly Dense fc2 = new("fc2", Blas, 6, 2, Batch);
        private readonly TdLoss loss = new(Nn.Losses.LossKind.Mse);
        private readonly DqnLoss dqnLoss;
        private readonly float[] x = [0.3f, -1.2f, 0.5f, 2f, -0.7f, 0.1f, 1.1f, -0.4f, 0.9f, 0.2f, -1.5f, 0.6f];
        private readonly int[] actions = [0, 1, 1];
        private readonly float[] targets = [0.5f, -1f, 2f];
        private readonly float[] dq = new float[Batch * 2], dh = new float[Batch * 6], da = new float[Batch * 6];

        public LayerStackSubject(bool broken)
        {
            var tanh = new ActivationLayer("act1", Activation.Tanh, 6, Batch);
            act = broken ? new SignFlippedLayer(tanh) : tanh;
            var rng = new Random(5);
            foreach (Dense d in new[] { fc1, fc2 })
            {
                for (int i = 0; i < d.Weight.Length; i++) d.Weight[i] = (float)(rng.NextDouble() - 0.5);
                for (int i = 0; i < d.Bias.Length; i++) d.Bias[i] = (float)(rng.NextDouble() - 0.5);
            }
            dqnLoss = new DqnLoss(loss, Batch, 2);
        }

        public string Description => "test stack";
        public IReadOnlyList<string> TensorNames { get; } = ["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"];
        public Span<float> Values(int tensor) => tensor switch { 0 => fc1.Weight, 1 => fc1.Bias, 2 => fc2.Weight, _ => fc2.Bias };
        public ReadOnlySpan<float> Gradient(int tensor) => tensor switch { 0 => fc1.WeightGrad, 1 => fc1.BiasGrad, 2 => fc2.WeightGrad, _ => fc2.BiasGrad };

        public void Backpropagate()
        {
            fc1.WeightGrad.Clear(); fc1.BiasGrad.Clear(); fc2.WeightGrad.Clear(); fc2.BiasGrad.Clear();
            ReadOnlySpan<float> q = fc2.Forward(act.Forward(fc1.Forward(x, Batch), Batch), Batch);
            dqnLoss.Compute(q, actions, targets, dq, Batch);
            fc2.Backward(dq, da, Batch);
            act.Backward(da, dh, Batch);
            fc1.Backward(dh, [], Batch);
        }

        public double Loss(List<bool>? kinkSides)
        {
            double[] h = DoubleForward.Linear(x.Select(v => (double)v).ToArray(), fc1.Weight, fc1.Bias, Batch, 4, 6);
            double[] q = DoubleForward.Linear(DoubleForward.Activate(h, Activation.Tanh, 0f, kinkSides), fc2.Weight, fc2.Bias, Batch, 6, 2);
            return DoubleForward.TdLoss(loss, q, actions, targets, Batch, 2, kinkSides);
        }
    }

    private sealed class SignFlippedLayer(ILayer inner) : ILayer
    {
        public string Name => inner.Name;
        public int InputSize => inner.InputSize;
        public int OutputSize => inner.OutputSize;
        public ReadOnlySpan<float> Output => inner.Output;
        public ReadOnlySpan<float> Forward(ReadOnlySpan<float> x, int batch) => inner.Forward(x, batch);

        public void Backward(ReadOnlySpan<float> dy, Span<float> dx, int batch)
        {
            inner.Backward(dy, dx, batch);
            for (int i = 0; i < batch * InputSize; i++) dx[i] = -dx[i];
        }
    }

    /// <summary>The real subject, with one analytic gradient element of one tensor off by 1%.</summary>
    private sealed class CorruptedSubject(IGradientSubject inner, int tensor) : IGradientSubject
    {
        private float[] corrupted = [];
        public string Description => inner.Description;
        public IReadOnlyList<string> TensorNames => inner.TensorNames;
        public Span<float> Values(int t) => inner.Values(t);
        public ReadOnlySpan<float> Gradient(int t) => t == tensor ? corrupted : inner.Gradient(t);
        public double Loss(List<bool>? kinkSides) => inner.Loss(kinkSides);

        public void Backpropagate()
        {
            inner.Backpropagate();
            corrupted = inner.Gradient(tensor).ToArray();
            int worst = 0;
            for (int i = 0; i < corrupted.Length; i += Math.Max(1, corrupted.Length / 64))   // an element the check visits
            {
                if (Math.Abs(corrupted[i]) > Math.Abs(corrupted[worst])) worst = i;
            }
            corrupted[worst] *= 1.05f;
        }
    }
}
