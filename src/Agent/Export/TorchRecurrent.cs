using System.Globalization;
using DqnStudy.Agent.Config;
using DqnStudy.Agent.Dqn.Recurrent;

namespace DqnStudy.Agent.Export;

/// <summary>
/// A recurrent Q-network as the torch modules that compute the same function: the cell as torch.nn.RNN (tanh) or
/// torch.nn.LSTM with batch_first, one layer, both biases, named "rnn"; the dense head as a torch.nn.Sequential named
/// "head". DqnStudy's cells store W_ih (G·H, I), W_hh (G·H, H), b_ih and b_hh exactly as torch does, LSTM gate rows in
/// torch's order i, f, g, o (src/Nn/Recurrent/Lstm.cs, checked against torch in the gradient reference tests), so the
/// tensors are copied as they are: rnn.weight_ih_l0, rnn.weight_hh_l0, rnn.bias_ih_l0, rnn.bias_hh_l0, head.0.weight, …
/// Q-values of step t are head(h_t), with h (and c) zero before an episode's first observation.
/// </summary>
public static class TorchRecurrent
{
    public const string CellName = "rnn", HeadName = "head";

    /// <summary>"LSTM" or "RNN" and "torch.nn.LSTM(input_size=2, hidden_size=64, batch_first=True)".</summary>
    public static (string Type, string Constructor) Cell(RecurrentQNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return network.Kind == NetworkKind.Lstm
            ? ("LSTM", Inv($"torch.nn.LSTM(input_size={network.InputSize}, hidden_size={network.HiddenSize}, batch_first=True)"))
            : ("RNN", Inv($"torch.nn.RNN(input_size={network.InputSize}, hidden_size={network.HiddenSize}, nonlinearity='tanh', batch_first=True)"));
    }

    /// <summary>The state_dict of a module with submodules `rnn` (the cell) and `head` (the Sequential).</summary>
    public static IReadOnlyList<NamedTensor> StateDict(RecurrentQNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        int rows = network.WeightIh.Length / network.InputSize;   // G·H
        var tensors = new List<NamedTensor>
        {
            new($"{CellName}.weight_ih_l0", [rows, network.InputSize], network.WeightIh.ToArray()),
            new($"{CellName}.weight_hh_l0", [rows, network.HiddenSize], network.WeightHh.ToArray()),
            new($"{CellName}.bias_ih_l0", [rows], network.BiasIh.ToArray()),
            new($"{CellName}.bias_hh_l0", [rows], network.BiasHh.ToArray()),
        };
        tensors.AddRange(TorchSequential.StateDict(network.Head, HeadName + "."));
        return tensors;
    }

    /// <summary>Python that defines the module and builds it (what a user pastes before load_state_dict).</summary>
    public static string Python(RecurrentQNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return string.Join("\n",
            "import torch",
            "",
            "class RecurrentQ(torch.nn.Module):",
            "    def __init__(self):",
            "        super().__init__()",
            $"        self.{CellName} = {Cell(network).Constructor}",
            $"        self.{HeadName} = {TorchSequential.Constructor(network.Head)}",
            "",
            "    def forward(self, x, state=None):",
            Inv($"        # x: (batch, time, {network.InputSize}); state: None (zeros) at an episode's first step, else the state returned last"),
            $"        h, state = self.{CellName}(x, state)",
            $"        return self.{HeadName}(h), state",
            "",
            "model = RecurrentQ()");
    }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
