using DqnStudy.Agent.Config;
using DqnStudy.Nn.Blas;
using DqnStudy.Nn.Init;
using DqnStudy.Nn.Layers;
using DqnStudy.Nn.Losses;
using DqnStudy.Nn.Optim;

namespace DqnStudy.Agent.Dqn;

/// <summary>Turns a validated config into the core's objects. Names were checked by the config
/// validator, so an unknown one here is a programming error, not a user error.</summary>
public static class DqnComponents
{
    public static Mlp CreateNetwork(DqnConfig config, IBlas blas, int observationSize, int actions, int maxBatch, int seed)
    {
        var network = new Mlp(blas, observationSize, config.Network.HiddenSizes.ToArray(), actions,
                              ParseActivation(config.Network.Activation), maxBatch, (float)config.Network.LeakySlope);
        network.Initialize(ParseInit(config.Network.Init), config.Network.InitScale, new Random(seed));
        return network;
    }

    public static TdLoss CreateLoss(DqnConfig config) => new(ParseLoss(config.Loss.Type), (float)config.Loss.Delta);

    public static IOptimizer CreateOptimizer(DqnConfig config, int parameterCount)
    {
        var o = config.Optimizer;
        float lr = (float)o.LearningRate;
        return o.Type switch
        {
            "adam" => new Adam(parameterCount, lr, (float)o.Beta1, (float)o.Beta2, (float)o.Eps, (float)o.WeightDecay),
            "sgd" => new Sgd(parameterCount, lr, (float)o.Momentum, 0f, (float)o.WeightDecay),
            "rmsprop" => new RmsProp(parameterCount, lr, (float)o.Alpha, (float)o.Eps, (float)o.WeightDecay, (float)o.Momentum, o.Centered),
            "deepmind_rmsprop" => new DeepMindRmsProp(parameterCount, lr, (float)o.Alpha, (float)o.Eps),
            _ => throw new InvalidOperationException($"optimizer.type '{o.Type}' passed validation but is not built here."),
        };
    }

    public static Activation ParseActivation(string name) => name switch
    {
        "relu" => Activation.Relu,
        "leaky_relu" => Activation.LeakyRelu,
        "sigmoid" => Activation.Sigmoid,
        "tanh" => Activation.Tanh,
        "identity" => Activation.Identity,
        _ => throw new InvalidOperationException($"network.activation '{name}' passed validation but is not built here."),
    };

    public static InitScheme ParseInit(string name) => name switch
    {
        "torch_default" => InitScheme.TorchDefault,
        "xavier_uniform" => InitScheme.XavierUniform,
        "xavier_normal" => InitScheme.XavierNormal,
        "kaiming_uniform" => InitScheme.KaimingUniform,
        "kaiming_normal" => InitScheme.KaimingNormal,
        "normal" => InitScheme.Normal,
        _ => throw new InvalidOperationException($"network.init '{name}' passed validation but is not built here."),
    };

    public static LossKind ParseLoss(string name) => name switch
    {
        "mse" => LossKind.Mse,
        "huber" => LossKind.Huber,
        "clipped_delta" => LossKind.ClippedDelta,
        "deepmind_clamp" => LossKind.DeepMindClamp,
        _ => throw new InvalidOperationException($"loss.type '{name}' passed validation but is not built here."),
    };
}
