namespace DqnStudy.Agent.Studies;

/// <summary>One study: its configs (run as DQN groups, then compared) or, for an experiment, none.</summary>
public sealed record StudyDefinition(string Name, string Shows, IReadOnlyList<string> Configs, string Metric = "eval_return")
{
    public bool IsExperiment => Configs.Count == 0;
}

/// <summary>The studies `study NAME` knows, in the order `study list` prints them.</summary>
public static class StudyCatalog
{
    public const string RnnExploding = "rnn-exploding";

    public static IReadOnlyList<StudyDefinition> All { get; } =
    [
        new("clipping", "the DQN delta-clipping bug: Huber (gradient clipped) vs clip-then-square (gradient ZEROED beyond ±1) vs plain MSE",
            ["huber.yaml", "clipped.yaml", "mse.yaml"]),
        new("sigmoid", "sigmoid saturation: huge normal init (pre-activations in the hundreds, z(1-z) = 0) vs Xavier; saturated share, local gradient, per-layer gradient norms",
            ["study-sigmoid-large-init.yaml", "study-sigmoid-xavier.yaml"]),
        new("relu", "dead ReLUs: an aggressive Adam step (5e-2) vs the recipe's 2.3e-3 and a gentle 1e-4, and Leaky ReLU at the aggressive step; dead share over training",
            ["study-relu-aggressive.yaml", "study-relu-sane.yaml", "study-relu-gentle.yaml", "study-leaky-relu-aggressive.yaml"]),
        new("rnn-dqn", "recurrent Q-networks on CartPoleNoVel-v1 (DRQN): vanilla RNN without / with global-norm clipping, LSTM, and a memoryless MLP baseline",
            ["study-rnn-dqn-rnn-noclip.yaml", "study-rnn-dqn-rnn-clip10.yaml", "study-rnn-dqn-lstm.yaml", "study-rnn-dqn-mlp.yaml"]),
        new(RnnExploding, "the essay's experiment (no DQN): ||dL/dh0|| of a zero-input vanilla RNN vs T = 1..max-t for W_hh at spectral radius 0.9/1.0/1.1, with the rho^T prediction",
            []),
    ];

    public static StudyDefinition? Find(string name) => All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));

    public static void WriteList(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        foreach (StudyDefinition study in All)
        {
            output.WriteLine($"{study.Name}");
            output.WriteLine($"    shows:   {study.Shows}");
            output.WriteLine(study.IsExperiment
                ? "    configs: none (an experiment; options --rho 0.9,1.0,1.1 --max-t 100)"
                : $"    configs: {string.Join(", ", study.Configs)}  (compared on {study.Metric})");
        }
    }
}
