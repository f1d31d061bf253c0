using DqnStudy.Nn.Layers;

namespace DqnStudy.Agent.Models;

/// <summary>A dense or conv Q-network (<see cref="Mlp"/>): one observation in, one Q-value per action out.</summary>
public sealed class FeedForwardAgentNetwork(Mlp network) : IAgentNetwork
{
    public Mlp Network { get; } = network ?? throw new ArgumentNullException(nameof(network));

    public int Actions => Network.OutputSize;
    public int ParameterCount => Network.Parameters.Count;
    public string Describe() => Network.Describe();
    public void BeginEpisode() { }
    public ReadOnlySpan<float> QValues(ReadOnlySpan<float> observation) => Network.Forward(observation, 1);
    public void Load(BinaryReader reader) => Network.Load(reader);
}
