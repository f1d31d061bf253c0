using DqnStudy.Agent.Config;
using DqnStudy.Environments;
using DqnStudy.Nn.Blas;
using DqnStudy.Nn.Init;
using DqnStudy.Nn.Layers;
using DqnStudy.Nn.Optim;

namespace DqnStudy.Agent.Dqn;

/// <summary>Turns a validated config into the core's objects. Names were checked by the config
/// validator, so an unknown one here is a programming error, not a user error.</summary>
public static class DqnComponents
{
    /// <summary>A fresh instance of the configured environment (env_id with env_kwargs).</summary>
    public static IEnvironment CreateEnvironment(DqnConfig config) =>
        EnvironmentRegistry.Make(config.EnvId, config.EnvKwargs.Count == 0 ? null : config.EnvKwargs.ToDictionary(kv => kv.Key, kv => (object)kv.Value));

    /// <summary>The configured Q-network for observations of `observationShape`: a conv network takes them as (C, H, W)
    /// images (<see cref="ConvNetworkLayout"/>), an MLP flat.</summary>
    public static Mlp CreateNetwork(DqnConfig config, IBlas blas, IReadOnlyList<int> observationShape, int actions, int maxBatch, int seed)
    {
        if (config.Network.Type != NetworkKind.Conv)
            return CreateNetwork(config, blas, observationShape.Aggregate(1, (a, b) => a * b), actions, maxBatch, seed);
        var network = new Mlp(blas, ConvNetworkLayout.Specs(config.Network, actions), ConvNetworkLayout.Image(observationShape, config.EnvId), maxBatch);
        network.Initialize(ToInitScheme(config.Network.Init), config.Network.InitScale, new Random(seed));
        return network;
    }

    public static Mlp CreateNetwork(DqnConfig config, IBlas blas, int observationSize, int actions, int maxBatch, int seed)
    {
        var network = new Mlp(blas, observationSize, config.Network.HiddenSizes, actions,
                              ToActivation(config.Network.Activation), maxBatch, (float)config.Network.LeakySlope);
        network.Initialize(ToInitScheme(config.Network.Init), config.Network.InitScale, new Random(seed));
        return network;
    }

    public static Nn.Losses.TdLoss CreateLoss(DqnConfig config) => new(config.Loss.Type, (float)config.Loss.Delta);

    public static IOptimizer CreateOptimizer(DqnConfig config, int parameterCount)
    {
        var o = config.Optimizer;
        float lr = (float)o.LearningRate;
        return o.Type switch
        {
            OptimizerKind.Adam => new Adam(parameterCount, lr, (float)o.Beta1, (float)o.Beta2, (float)o.Eps, (float)o.WeightDecay),
            OptimizerKind.Sgd => new Sgd(parameterCount, lr, (float)o.Momentum, 0f, (float)o.WeightDecay),
            OptimizerKind.Rmsprop => new RmsProp(parameterCount, lr, (float)o.Alpha, (float)o.Eps, (float)o.WeightDecay, (float)o.Momentum, o.Centered),
            // DeepMind's 2015 RMSProp: alpha is its decay, eps its "min squared gradient" (0.01 in the paper) inside the root.
            OptimizerKind.DeepmindRmsprop => new DeepMindRmsProp(parameterCount, lr, (float)o.Alpha, (float)o.Eps),
            _ => throw new ArgumentOutOfRangeException(nameof(config), o.Type, "optimizer.type"),
        };
    }

    public static Activation ToActivation(ActivationKind kind) => kind switch
    {
        ActivationKind.Relu => Activation.Relu,
        ActivationKind.LeakyRelu => Activation.LeakyRelu,
        ActivationKind.Sigmoid => Activation.Sigmoid,
        ActivationKind.Tanh => Activation.Tanh,
        ActivationKind.Identity => Activation.Identity,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "network.activation"),
    };

    public static InitScheme ToInitScheme(InitKind kind) => kind switch
    {
        InitKind.TorchDefault => InitScheme.TorchDefault,
        InitKind.XavierUniform => InitScheme.XavierUniform,
        InitKind.XavierNormal => InitScheme.XavierNormal,
        InitKind.KaimingUniform => InitScheme.KaimingUniform,
        InitKind.KaimingNormal => InitScheme.KaimingNormal,
        InitKind.Normal => InitScheme.Normal,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "network.init"),
    };

    /// <summary>How the config spells an enum value (LeakyRelu → leaky_relu).</summary>
    public static string Name(Enum value) => ConfigSchema.EnumName(value);
}
