using DqnStudy.Agent.Runs;
using DqnStudy.Agent.Config;
using DqnStudy.Agent.Dqn;
using DqnStudy.Agent.Dqn.Recurrent;
using DqnStudy.Environments;
using DqnStudy.Nn.Blas;

namespace DqnStudy.Agent.Models;

/// <summary>
/// A trained Q-network loaded from a seed folder with nothing of the training state: the folder's config.yaml (the
/// resolved config the run wrote) says which environment and which architecture (mlp, conv, rnn or lstm),
/// best_model.bin or final_model.bin gives the weights. Acts greedily, episode by episode.
/// </summary>
public sealed class TrainedAgent
{
    private TrainedAgent(string folder, ModelKind kind, DqnConfig config, IAgentNetwork network, ModelInfo? info)
    {
        Folder = folder;
        Kind = kind;
        Config = config;
        Network = network;
        Info = info;
    }

    public string Folder { get; }
    public ModelKind Kind { get; }
    public DqnConfig Config { get; }
    public IAgentNetwork Network { get; }
    public ModelInfo? Info { get; }
    public string ModelPath => ModelFiles.PathOf(Folder, Kind);

    /// <summary>A fresh instance of the environment the agent was trained on.</summary>
    public IEnvironment CreateEnvironment() => DqnComponents.CreateEnvironment(Config);

    /// <summary>Call after each reset: a recurrent agent starts the episode from a zero hidden state.</summary>
    public void BeginEpisode() => Network.BeginEpisode();

    public int Act(ReadOnlySpan<float> observation) => Greedy.ArgMax(Network.QValues(observation));

    /// <summary>Loads `kind` from a seed folder; every problem is a <see cref="ModelLoadException"/> naming the file.
    /// maxBatch: how many observations at once a feed-forward network's Forward may take.</summary>
    public static TrainedAgent Load(string folder, ModelKind kind, IBlas blas, int maxBatch = 1)
    {
        ArgumentNullException.ThrowIfNull(blas);
        if (!Directory.Exists(folder)) throw new ModelLoadException($"{folder}: no such folder.");
        string configPath = RunFolder.PathOf(folder, RunFolder.Config);
        if (!File.Exists(configPath))
            throw new ModelLoadException($"{folder}: no {RunFolder.Config}; give a seed folder written by training (runs/<name>/seed-<n>).");
        DqnConfig config;
        try { config = ConfigLoader.Load(configPath); }
        catch (ConfigException e) { throw new ModelLoadException($"{configPath}: {e.Message}"); }
        bool recurrent = config.Network.Type is NetworkKind.Rnn or NetworkKind.Lstm;

        string modelPath = ModelFiles.PathOf(folder, kind);
        if (!File.Exists(modelPath))
        {
            string why = kind == ModelKind.Best
                ? "the run saved no best model (evaluation off, or it never finished an evaluation"
                : "the run has not finished (or was made by a build that did not save models";
            if (recurrent) why += "; builds before rnn/lstm model files saved none for this network: train it again";
            why += ")";
            throw new ModelLoadException($"{modelPath}: not found: {why}.");
        }
        IEnvironment environment = DqnComponents.CreateEnvironment(config);
        IAgentNetwork network = recurrent
            ? new RecurrentAgentNetwork(RecurrentLearner.CreateNetwork(config, blas, environment.ObservationSpace.Size, environment.ActionSpace.N, seed: 0))
            : new FeedForwardAgentNetwork(DqnComponents.CreateNetwork(config, blas, environment.ObservationSpace.Shape, environment.ActionSpace.N, maxBatch, seed: 0));
        try { ModelFiles.Load(folder, kind, network.Load); }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException)
        {
            throw new ModelLoadException($"{modelPath}: {e.Message}");
        }
        return new TrainedAgent(folder, kind, config, network, ModelFiles.ReadInfo(folder, kind));
    }
}
