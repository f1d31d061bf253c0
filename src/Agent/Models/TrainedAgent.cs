using DqnStudy.Agent.Runs;
using DqnStudy.Agent.Config;
using DqnStudy.Agent.Dqn;
using DqnStudy.Environments;
using DqnStudy.Nn.Blas;
using DqnStudy.Nn.Layers;

namespace DqnStudy.Agent.Models;

/// <summary>
/// A trained Q-network loaded from a seed folder with nothing of the training state: the folder's config.yaml (the
/// resolved config the run wrote) says which environment and which architecture, best_model.bin or final_model.bin
/// gives the weights. Acts greedily on an observation.
/// </summary>
public sealed class TrainedAgent
{
    private TrainedAgent(string folder, ModelKind kind, DqnConfig config, Mlp network, ModelInfo? info)
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
    public Mlp Network { get; }
    public ModelInfo? Info { get; }
    public string ModelPath => ModelFiles.PathOf(Folder, Kind);

    /// <summary>A fresh instance of the environment the agent was trained on.</summary>
    public IEnvironment CreateEnvironment() => DqnComponents.CreateEnvironment(Config);

    public int Act(ReadOnlySpan<float> observation) => Greedy.ArgMax(Network.Forward(observation, 1));

    /// <summary>Q-values of a batch of observations (a view valid until the next call).</summary>
    public ReadOnlySpan<float> QValues(ReadOnlySpan<float> observations, int batch) => Network.Forward(observations, batch);

    /// <summary>Loads `kind` from a seed folder; every problem is a <see cref="ModelLoadException"/> naming the file.</summary>
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
        if (config.Network.Type != NetworkKind.Mlp)
            throw new ModelLoadException($"{configPath}: network.type is {DqnComponents.Name(config.Network.Type)}; only mlp runs save model files.");

        string modelPath = ModelFiles.PathOf(folder, kind);
        if (!File.Exists(modelPath))
        {
            string why = kind == ModelKind.Best
                ? "the run saved no best model (evaluation off, or it never finished an evaluation)"
                : "the run has not finished (or was made by a build that did not save models)";
            throw new ModelLoadException($"{modelPath}: not found: {why}.");
        }
        IEnvironment environment = DqnComponents.CreateEnvironment(config);
        Mlp network = DqnComponents.CreateNetwork(config, blas, environment.ObservationSpace.Size, environment.ActionSpace.N, maxBatch, seed: 0);
        try { ModelFiles.Load(folder, kind, network); }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException)
        {
            throw new ModelLoadException($"{modelPath}: {e.Message}");
        }
        return new TrainedAgent(folder, kind, config, network, ModelFiles.ReadInfo(folder, kind));
    }
}
