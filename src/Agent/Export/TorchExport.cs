using DqnStudy.Agent.Models;

namespace DqnStudy.Agent.Export;

/// <summary>
/// What an export writes for one trained network: its tensors in torch's names and shapes, and how to rebuild the
/// module that reads them. "sequential": one torch.nn.Sequential (Linear, Conv2d, activations, Flatten) on a batch of
/// observations. "recurrent": a module with `rnn` (torch.nn.RNN or torch.nn.LSTM, batch_first) and `head` (a
/// Sequential) on a batch of observation sequences.
/// </summary>
public sealed record TorchExport(
    string Architecture, string TorchModule, string Python, IReadOnlyList<TorchModule> Layers, string LayersModule,
    ManifestRecurrent? Recurrent, IReadOnlyList<int> InputShape, string Input, IReadOnlyList<NamedTensor> Tensors)
{
    public static TorchExport For(IAgentNetwork network) => network switch
    {
        FeedForwardAgentNetwork f => Sequential(f),
        RecurrentAgentNetwork r => RecurrentNetwork(r),
        _ => throw new ArgumentException($"no torch export for {network?.GetType().Name}.", nameof(network)),
    };

    private static TorchExport Sequential(FeedForwardAgentNetwork agent)
    {
        var network = agent.Network;
        string constructor = TorchSequential.Constructor(network);
        int[] shape = network.InputImage is { } image ? [image.Channels, image.Height, image.Width] : [network.InputSize];
        return new TorchExport("sequential", constructor, "import torch\n\nmodel = " + constructor, TorchSequential.Modules(network), "",
            null, shape, $"(batch, {string.Join(", ", shape)}) float32 observations", TorchSequential.StateDict(network));
    }

    private static TorchExport RecurrentNetwork(RecurrentAgentNetwork agent)
    {
        var network = agent.Network;
        var (type, constructor) = TorchRecurrent.Cell(network);
        string head = TorchSequential.Constructor(network.Head);
        return new TorchExport("recurrent", $"RecurrentQ({TorchRecurrent.CellName}={constructor}, {TorchRecurrent.HeadName}={head})",
            TorchRecurrent.Python(network), TorchSequential.Modules(network.Head), TorchRecurrent.HeadName,
            new ManifestRecurrent(TorchRecurrent.CellName, type, constructor), [network.InputSize],
            $"(batch, time, {network.InputSize}) float32 observation sequences, batch_first; the hidden state is zero before " +
            "an episode's first observation and carried through the episode (Q-values of step t: head(h_t))",
            TorchRecurrent.StateDict(network));
    }
}
