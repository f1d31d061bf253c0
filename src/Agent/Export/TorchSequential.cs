using System.Globalization;
using DqnStudy.Nn.Layers;

namespace DqnStudy.Agent.Export;

/// <summary>One module of the equivalent torch.nn.Sequential: its index, torch class, constructor text.</summary>
public sealed record TorchModule(int Index, string Type, string Constructor);

/// <summary>
/// A network as the torch.nn.Sequential that computes the same function: Dense → nn.Linear (weight (out, in), as
/// DqnStudy stores it), Conv2d → nn.Conv2d (weight (out, in, kh, kw)), activations → nn.ReLU / nn.LeakyReLU /
/// nn.Sigmoid / nn.Tanh / nn.Identity, Flatten → nn.Flatten. Its state_dict names are "index.weight" and
/// "index.bias", so `model.load_state_dict(tensors)` takes the export as it is.
/// </summary>
public static class TorchSequential
{
    public static IReadOnlyList<TorchModule> Modules(Mlp network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var modules = new List<TorchModule>();
        int inFeatures = network.InputSize;
        for (int i = 0; i < network.Layers.Count; i++)
        {
            ILayer layer = network.Layers[i];
            modules.Add(layer switch
            {
                Dense d => new TorchModule(i, "Linear", Inv($"torch.nn.Linear({d.InputSize}, {d.OutputSize})")),
                Conv2dLayer c => new TorchModule(i, "Conv2d", Inv(
                    $"torch.nn.Conv2d({c.Shape.InChannels}, {c.Shape.OutChannels}, kernel_size=({c.Shape.KernelH}, {c.Shape.KernelW}), stride=({c.Shape.StrideH}, {c.Shape.StrideW}), padding=({c.Shape.PaddingH}, {c.Shape.PaddingW}))")),
                FlattenLayer => new TorchModule(i, "Flatten", "torch.nn.Flatten()"),
                _ => Activation(i, network.Specs[i]),
            });
        }
        return modules;
    }

    /// <summary>"torch.nn.Sequential(torch.nn.Linear(4, 256), torch.nn.ReLU(), …)".</summary>
    public static string Constructor(Mlp network) => "torch.nn.Sequential(" + string.Join(", ", Modules(network).Select(m => m.Constructor)) + ")";

    /// <summary>The state_dict: "i.weight" and "i.bias" of every Linear and Conv2d, in torch's shapes; `prefix` before
    /// each name when the Sequential is a submodule ("head." in a recurrent Q-network).</summary>
    public static IReadOnlyList<NamedTensor> StateDict(Mlp network, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(network);
        var tensors = new List<NamedTensor>();
        for (int i = 0; i < network.Layers.Count; i++)
        {
            switch (network.Layers[i])
            {
                case Dense d:
                    tensors.Add(new NamedTensor($"{prefix}{i}.weight", [d.OutputSize, d.InputSize], d.Weight.ToArray()));
                    tensors.Add(new NamedTensor($"{prefix}{i}.bias", [d.OutputSize], d.Bias.ToArray()));
                    break;
                case Conv2dLayer c:
                    tensors.Add(new NamedTensor($"{prefix}{i}.weight", [c.Shape.OutChannels, c.Shape.InChannels, c.Shape.KernelH, c.Shape.KernelW], c.Weight.ToArray()));
                    tensors.Add(new NamedTensor($"{prefix}{i}.bias", [c.Shape.OutChannels], c.Bias.ToArray()));
                    break;
            }
        }
        return tensors;
    }

    private static TorchModule Activation(int index, LayerSpec spec) => spec.Function switch
    {
        Nn.Layers.Activation.Relu => new TorchModule(index, "ReLU", "torch.nn.ReLU()"),
        Nn.Layers.Activation.LeakyRelu => new TorchModule(index, "LeakyReLU", Inv($"torch.nn.LeakyReLU(negative_slope={spec.Slope:R})")),
        Nn.Layers.Activation.Sigmoid => new TorchModule(index, "Sigmoid", "torch.nn.Sigmoid()"),
        Nn.Layers.Activation.Tanh => new TorchModule(index, "Tanh", "torch.nn.Tanh()"),
        Nn.Layers.Activation.Identity => new TorchModule(index, "Identity", "torch.nn.Identity()"),
        _ => throw new NotSupportedException($"activation {spec.Function} has no torch.nn counterpart here."),
    };

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
