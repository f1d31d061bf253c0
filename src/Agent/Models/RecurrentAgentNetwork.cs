using DqnStudy.Agent.Dqn.Recurrent;

namespace DqnStudy.Agent.Models;

/// <summary>An rnn or lstm Q-network (<see cref="RecurrentQNetwork"/>) with its acting state (h, or h then c):
/// zeroed at each episode start, read and overwritten at every step.</summary>
public sealed class RecurrentAgentNetwork(RecurrentQNetwork network) : IAgentNetwork
{
    private readonly float[] _state = new float[network.StateSize];

    public RecurrentQNetwork Network { get; } = network;

    public int Actions => Network.Actions;
    public int ParameterCount => Network.CellParameters.Length + Network.Head.Parameters.Count;
    public string Describe() => Network.Describe();
    public void BeginEpisode() => Array.Clear(_state);
    public ReadOnlySpan<float> QValues(ReadOnlySpan<float> observation) => Network.Act(observation, _state);
    public void Load(BinaryReader reader) => Network.LoadModel(reader);
}
