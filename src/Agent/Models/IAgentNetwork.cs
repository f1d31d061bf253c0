namespace DqnStudy.Agent.Models;

/// <summary>
/// The Q-network a trained agent plays with, read from a model file. A feed-forward network (dense or conv) answers
/// each observation on its own; a recurrent one carries its hidden state from step to step and starts every episode
/// from zeros, as training's greedy evaluation does, so a saved model replays the returns training logged for it.
/// </summary>
public interface IAgentNetwork
{
    int Actions { get; }

    int ParameterCount { get; }

    /// <summary>"4 → fc 64 → relu → fc 2", "2 → lstm 64 → fc 2".</summary>
    string Describe();

    /// <summary>An episode starts: a recurrent network zeroes its hidden state.</summary>
    void BeginEpisode();

    /// <summary>The Q-values of this step's observation (a view valid until the next call); a recurrent network reads
    /// and advances its hidden state.</summary>
    ReadOnlySpan<float> QValues(ReadOnlySpan<float> observation);

    /// <summary>Reads a model file; InvalidDataException when its architecture is not this network's.</summary>
    void Load(BinaryReader reader);
}
