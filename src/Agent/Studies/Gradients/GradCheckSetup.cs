using DqnStudy.Nn.Diagnostics;
using System.Globalization;
using DqnStudy.Agent.Config;
using DqnStudy.Agent.Dqn;
using DqnStudy.Environments;
using DqnStudy.Nn.Blas;
using DqnStudy.Nn.Layers;
using DqnStudy.Nn.Losses;
using DqnStudy.Nn.Recurrent;

namespace DqnStudy.Agent.Studies.Gradients;

/// <summary>
/// Builds the configured network and loss on a batch the gradient check can trust: real states from the config's
/// environment (random actions, so the scale of the inputs is the one training sees), random actions, and targets
/// placed at q ± an offset that is either well inside or well outside the loss's ±delta, so both branches of Huber
/// and of the clipping bug are exercised and no TD error sits on a kink.
/// </summary>
public static class GradCheckSetup
{
    public static IGradientSubject Create(DqnConfig config, IBlas blas, int batch, int seed)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(blas);
        if (batch < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(batch), batch, "batch must be at least 1.");
        }
        var rng = new Random(seed);
        IEnvironment env = DqnComponents.CreateEnvironment(config);
        int inputs = env.ObservationSpace.Size, numActions = env.ActionSpace.N;
        bool recurrent = config.Network.Type is NetworkKind.Rnn or NetworkKind.Lstm;
        int steps = recurrent ? config.Algorithm.SequenceLength : 1, rows = steps * batch;
        float[] states = Rollouts(env, rng, seed, steps, batch);
        int[] actions = Enumerable.Range(0, rows).Select(_ => rng.Next(numActions)).ToArray();
        TdLoss loss = DqnComponents.CreateLoss(config);
        string lossText = $"loss {DqnComponents.Name(config.Loss.Type)}"
                          + (config.Loss.Type == Nn.Losses.LossKind.Mse ? "" : $" (delta {config.Loss.Delta.ToString(CultureInfo.InvariantCulture)})");

        if (!recurrent)
        {
            if (config.Network.Type == NetworkKind.Conv
                && ConvNetworkLayout.Problem(config.Network, env.ObservationSpace.Shape, config.EnvId) is { } problem)
            {
                throw new ArgumentException(problem);
            }
            Mlp network = DqnComponents.CreateNetwork(config, blas, env.ObservationSpace.Shape, numActions, batch, seed);
            double[] q = DoubleForward.Mlp(network, DoubleForward.Parameters(network), ToDouble(states), batch, null);
            float[] targets = Targets(q, actions, numActions, config.Loss.Delta, rng);
            return new MlpSubject(network, loss, states, actions, targets, batch,
                $"gradcheck '{config.Name}': {config.EnvId}, {DqnComponents.Name(config.Network.Type)} {network.Describe()}, {lossText}, init {DqnComponents.Name(config.Network.Init)} x{config.Network.InitScale.ToString(CultureInfo.InvariantCulture)}, batch {batch}, seed {seed}, BLAS {blas.Name}");
        }

        int hidden = config.Network.HiddenSizes[0];
        var cellRng = new Random(seed);
        VanillaRnn? rnn = null;
        Lstm? lstm = null;
        if (config.Network.Type == NetworkKind.Rnn)
        {
            rnn = new VanillaRnn(blas, inputs, hidden, steps, batch);
            rnn.Initialize(cellRng);
        }
        else
        {
            lstm = new Lstm(blas, inputs, hidden, steps, batch);
            lstm.Initialize(cellRng);
        }
        var head = new Mlp(blas, hidden, config.Network.HiddenSizes.Skip(1).ToArray(), numActions,
                           DqnComponents.ToActivation(config.Network.Activation), rows, (float)config.Network.LeakySlope);
        head.Initialize(DqnComponents.ToInitScheme(config.Network.Init), config.Network.InitScale, cellRng);
        double[] x = ToDouble(states);
        double[] hs = rnn is not null
            ? DoubleForward.Rnn(x, D(rnn.WeightIh), D(rnn.WeightHh), D(rnn.BiasIh), D(rnn.BiasHh), steps, batch, inputs, hidden)
            : DoubleForward.Lstm(x, D(lstm!.WeightIh), D(lstm.WeightHh), D(lstm.BiasIh), D(lstm.BiasHh), steps, batch, inputs, hidden);
        float[] recurrentTargets = Targets(DoubleForward.Mlp(head, DoubleForward.Parameters(head), hs, rows, null), actions, numActions, config.Loss.Delta, rng);
        string kind = DqnComponents.Name(config.Network.Type);
        return new RecurrentSubject(rnn, lstm, head, loss, states, actions, recurrentTargets, steps, batch,
            $"gradcheck '{config.Name}': {config.EnvId}, {kind}({inputs} → {hidden}) then head {head.Describe()} on every step, {lossText}, "
            + $"batch {batch} sequences x {steps} steps (BPTT), seed {seed}, BLAS {blas.Name}");
    }

    /// <summary>batch rollouts of `steps` consecutive observations, time-major (T, B, I); each starts after 0..30
    /// random steps so the inputs are not all near CartPole's reset state.</summary>
    private static float[] Rollouts(IEnvironment env, Random rng, int seed, int steps, int batch)
    {
        int inputs = env.ObservationSpace.Size, actions = env.ActionSpace.N;
        var result = new float[steps * batch * inputs];
        for (int b = 0; b < batch; b++)
        {
            ReadOnlySpan<float> obs = env.Reset(seed * 7919 + b);
            int warmup = rng.Next(31);
            for (int t = -warmup; t < steps; t++)
            {
                if (t >= 0)
                {
                    obs.CopyTo(result.AsSpan((t * batch + b) * inputs, inputs));
                }
                StepResult step = env.Step(rng.Next(actions));
                obs = step.Done ? env.Reset() : step.Observation;
            }
        }
        return result;
    }

    // Even rows: |delta| in [0.2, 0.8]·k (quadratic branch); odd rows: [1.5, 3]·k (Huber's linear branch, the bug's zero).
    private static float[] Targets(double[] q, int[] actions, int numActions, double k, Random rng)
    {
        var targets = new float[actions.Length];
        for (int n = 0; n < actions.Length; n++)
        {
            double magnitude = n % 2 == 0 ? 0.2 + 0.6 * rng.NextDouble() : 1.5 + 1.5 * rng.NextDouble();
            double sign = rng.Next(2) == 0 ? -1 : 1;
            targets[n] = (float)(q[n * numActions + actions[n]] + sign * magnitude * k);
        }
        return targets;
    }

    private static double[] ToDouble(float[] values) => values.Select(v => (double)v).ToArray();

    private static double[] D(ReadOnlySpan<float> values) => DoubleForward.ToDouble(values);
}
