using DqnStudy.Nn.Diagnostics;
using DqnStudy.Agent.Cli;
using DqnStudy.Agent.Config;
using DqnStudy.Agent.Studies.Gradients;
using DqnStudy.Nn.Blas;
using DqnStudy.Nn.Init;
using DqnStudy.Nn.Layers;
using DqnStudy.Nn.Losses;

namespace DqnStudy.Agent.Tests.Studies;

public sealed class GradientCheckerTests
{
    private static readonly IBlas Blas = new ManagedBlas();

    /// <summary>Every config in configs/, found on disk, so a new config is checked without touching this test.</summary>
    public static TheoryData<string> ShippedConfigFiles() =>
        [.. Directory.GetFiles(Path.GetDirectoryName(StudyTestPaths.Config("huber.yaml"))!, "*.yaml").Select(f => Path.GetFileName(f)).Order()];

    [Theory]
    [MemberData(nameof(ShippedConfigFiles))]
    public void EveryShippedConfig_Passes(string file)
    {
        // The command's batch (4) and seed (0), as a user running it sees them, and a second batch and seed; at most 64
        // elements per tensor to keep the suite quick (the command checks 256).
        DqnConfig config = ConfigLoader.Load(StudyTestPaths.Config(file));
        foreach (var (batch, seed) in new[] { (4, 0), (3, 1) })
        {
            GradientCheckReport report = GradientChecker.Run(GradCheckSetup.Create(config, Blas, batch, seed), new GradientCheckSettings(MaxChecksPerTensor: 64));
            Assert.True(report.Passed, Describe(report));
            Assert.All(report.Tensors, t => Assert.True(t.Checked > t.Elements / 2 || t.Checked >= 32, $"{t.Name}: only {t.Checked} checked"));
        }
    }

    [Fact]
    public void SaturatedSigmoids_StillSeeAWrongElement()
    {
        // The negative control on the hardest config: 5% off in one fc1.bias element fails that tensor, and only it.
        DqnConfig config = ConfigLoader.Load(StudyTestPaths.Config("study-sigmoid-large-init.yaml"));
        var inner = GradCheckSetup.Create(config, Blas, batch: 4, seed: 0);
        int bias = inner.TensorNames.ToList().IndexOf("fc1.bias");
        GradientCheckReport report = GradientChecker.Run(new CorruptedSubject(inner, bias), new GradientCheckSettings());
        Assert.Equal(["fc1.bias"], report.Tensors.Where(t => !t.Passed).Select(t => t.Name));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ConvolutionStem_PassesAndABrokenConvolutionBackwardFails(bool broken)
    {
        // MinAtar's Q-network shape, small: conv(3x3, 4 filters) → relu → flatten → fc → relu → fc, on a 2x6x6 image.
        var layers = new List<LayerSpec> { LayerSpec.Conv2d(4, 3), LayerSpec.Act(Activation.Relu), LayerSpec.Flatten(),
                                           LayerSpec.Dense(8), LayerSpec.Act(Activation.Relu), LayerSpec.Dense(3) };
        var network = new Mlp(Blas, layers, new ImageShape(2, 6, 6), 3);
        network.Initialize(InitScheme.TorchDefault, 1.0, new Random(3));
        var rng = new Random(4);
        float[] states = [.. Enumerable.Range(0, 3 * 72).Select(_ => (float)rng.NextDouble())];
        var subject = new MlpSubject(network, new TdLoss(Nn.Losses.LossKind.Huber), states, [0, 2, 1], [0.5f, -0.3f, 1.2f], 3, "conv");
        IGradientSubject checkedSubject = broken ? new CorruptedSubject(subject, 0, factor: -1f) : subject;
        GradientCheckReport report = GradientChecker.Run(checkedSubject, new GradientCheckSettings());
        Assert.Equal(["conv1.weight", "conv1.bias", "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"], report.Tensors.Select(t => t.Name));
        Assert.Equal(!broken, report.Passed);
        if (broken) Assert.Equal(["conv1.weight"], report.Tensors.Where(t => !t.Passed).Select(t => t.Name));
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
        GradientCheckReport report = GradientChecker.Run(GradCheckSetup.Create(ConfigLoader.Load(path), Blas, batch: 3, seed: 2),
                                                     new GradientCheckSettings());
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
        GradientCheckReport report = GradientChecker.Run(subject, new GradientCheckSettings());
        Assert.False(report.Passed);
        Assert.False(report.Tensors.Single(t => t.Name == "fc1.weight").Passed);   // below the broken layer: wrong
        Assert.True(report.Tensors.Single(t => t.Name == "fc2.weight").Passed);    // above it: still right
        Assert.True(GradientChecker.Run(new LayerStackSubject(broken: false), new GradientCheckSettings()).Passed);
    }

    [Fact]
    public void OneCorruptedGradientElement_FailsOnAShippedConfig()
    {
        // 5% error in a single element (5x the tolerance) of fc2.weight must be seen: the check is not blind to small mistakes.
        AssertOnlyTheCorruptedTensorFails("huber.yaml", tensor: 2, "fc2.weight");
    }

    [Fact]
    public void OneCorruptedConvGradientElement_FailsOnTheMinAtarNetwork()
    {
        // The same 5% error in conv1.weight (tensor 0): the check covers the convolution's backward too.
        AssertOnlyTheCorruptedTensorFails("minatar-breakout-huber.yaml", tensor: 0, "conv1.weight");
    }

    /// <summary>Corrupts one gradient element of parameter tensor <paramref name="tensor"/> of the shipped config
    /// <paramref name="configFile"/>: the check must fail, and on exactly that tensor.</summary>
    private static void AssertOnlyTheCorruptedTensorFails(string configFile, int tensor, string tensorName)
    {
        DqnConfig config = ConfigLoader.Load(StudyTestPaths.Config(configFile));
        var subject = new CorruptedSubject(GradCheckSetup.Create(config, Blas, batch: 3, seed: 1), tensor: tensor);
        GradientCheckReport report = GradientChecker.Run(subject, new GradientCheckSettings(MaxChecksPerTensor: 64));
        Assert.False(report.Passed);
        Assert.Equal([tensorName], report.Tensors.Where(t => !t.Passed).Select(t => t.Name));
    }

    [Fact]
    public void AConvStackThatDoesNotFitIsBadInput()
    {
        string folder = StudyTestPaths.TempFolder();
        string path = Path.Combine(folder, "big.yaml");
        File.WriteAllText(path, "extends: " + StudyTestPaths.Config("minatar-breakout-huber.yaml") + "\nnetwork:\n  conv: [{filters: 4, kernel: 12}]\n");
        var output = new StringWriter();
        var error = new StringWriter();
        Assert.Equal(GradCheckCommand.BadInput, GradCheckCommand.Run(path, 2, 0, "managed", new GradientCheckSettings(), output, error));
        Assert.Contains("network.conv[0] (filters 4, kernel 12, stride 1, padding 0) cannot take MinAtar/Breakout-v0's 4×10×10 observations", error.ToString());
    }

    [Fact]
    public void Command_ExitCodes()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        Assert.Equal(GradCheckCommand.Passed, GradCheckCommand.Run(StudyTestPaths.Config("mse.yaml"), 2, 0, "managed",
                                                                   new GradientCheckSettings(MaxChecksPerTensor: 16), output, error));
        Assert.Contains("fc1.weight", output.ToString());
        Assert.Contains("PASS: all 6 tensors", output.ToString());
        Assert.Equal(GradCheckCommand.BadInput, GradCheckCommand.Run(null, 2, 0, null, new GradientCheckSettings(), output, error));
        Assert.Equal(GradCheckCommand.BadInput, GradCheckCommand.Run("no-such-config.yaml", 2, 0, null, new GradientCheckSettings(), output, error));
        Assert.Equal(GradCheckCommand.BadInput, GradCheckCommand.Run(StudyTestPaths.Config("mse.yaml"), 0, 0, null, new GradientCheckSettings(), output, error));
        Assert.Equal(GradCheckCommand.Failed, GradCheckCommand.Run(StudyTestPaths.Config("mse.yaml"), 2, 0, "managed",
                                                                   new GradientCheckSettings(Tolerance: 1e-12, MaxChecksPerTensor: 16), output, error));
    }

    private static string Describe(GradientCheckReport report)
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
        private double[][] p = [];

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
        public int Length(int tensor) => Values(tensor).Length;
        private Span<float> Values(int tensor) => tensor switch { 0 => fc1.Weight, 1 => fc1.Bias, 2 => fc2.Weight, _ => fc2.Bias };
        public ReadOnlySpan<float> Gradient(int tensor) => tensor switch { 0 => fc1.WeightGrad, 1 => fc1.BiasGrad, 2 => fc2.WeightGrad, _ => fc2.BiasGrad };

        public void Backpropagate()
        {
            fc1.WeightGrad.Clear(); fc1.BiasGrad.Clear(); fc2.WeightGrad.Clear(); fc2.BiasGrad.Clear();
            ReadOnlySpan<float> q = fc2.Forward(act.Forward(fc1.Forward(x, Batch), Batch), Batch);
            dqnLoss.Compute(q, actions, targets, dq, Batch);
            fc2.Backward(dq, da, Batch);
            act.Backward(da, dh, Batch);
            fc1.Backward(dh, [], Batch);
            p = [.. Enumerable.Range(0, 4).Select(t => DoubleForward.ToDouble(Values(t)))];
        }

        public double Loss(List<bool>? kinkSides, Nudge nudge) => nudge.Apply(p, () =>
        {
            double[] h = DoubleForward.Linear(x.Select(v => (double)v).ToArray(), p[0], p[1], Batch, 4, 6);
            double[] q = DoubleForward.Linear(DoubleForward.Activate(h, Activation.Tanh, 0f, kinkSides), p[2], p[3], Batch, 6, 2);
            return DoubleForward.TdLoss(loss, q, actions, targets, Batch, 2, kinkSides);
        });
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

    /// <summary>The real subject, with the largest checked analytic gradient element of one tensor multiplied by `factor`
    /// (5% off by default; -1: a sign error).</summary>
    private sealed class CorruptedSubject(IGradientSubject inner, int tensor, float factor = 1.05f) : IGradientSubject
    {
        private float[] corrupted = [];
        public string Description => inner.Description;
        public IReadOnlyList<string> TensorNames => inner.TensorNames;
        public int Length(int t) => inner.Length(t);
        public ReadOnlySpan<float> Gradient(int t) => t == tensor ? corrupted : inner.Gradient(t);
        public double Loss(List<bool>? kinkSides, Nudge nudge) => inner.Loss(kinkSides, nudge);

        public void Backpropagate()
        {
            inner.Backpropagate();
            corrupted = inner.Gradient(tensor).ToArray();
            int worst = 0;
            foreach (int i in GradientChecker.Visited(corrupted.Length, 64))   // an element the check visits
            {
                if (Math.Abs(corrupted[i]) > Math.Abs(corrupted[worst])) worst = i;
            }
            corrupted[worst] *= factor;
        }
    }
}
