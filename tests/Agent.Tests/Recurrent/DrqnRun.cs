using DqnStudy.Agent.Config;
using DqnStudy.Agent.Dqn;
using DqnStudy.Agent.Dqn.Recurrent;
using DqnStudy.Agent.Tests.EndToEnd;
using DqnStudy.Nn.Blas;

namespace DqnStudy.Agent.Tests.Recurrent;

/// <summary>A few-hundred-step CartPoleNoVel-v1 DRQN config (rnn or lstm) and its scratch folder.</summary>
internal sealed class DrqnRun : IDisposable
{
    private readonly TinyRun _run = new();

    public DrqnRun(string type, string extraYaml = "")
    {
        File.WriteAllText(_run.ConfigPath, $$"""
            name: tiny-drqn
            env_id: CartPoleNoVel-v1
            network: { type: {{type}}, hidden_sizes: [8, 8], activation: relu }
            loss: { type: huber }
            optimizer: { type: adam, learning_rate: 1.0e-3 }
            max_grad_norm: 10.0
            dqn:
              buffer_size: 1000
              batch_size: 4
              learning_starts: 100
              train_freq: 4
              gradient_steps: 1
              target_update_interval: 50
              exploration_fraction: 0.5
              sequence_length: 5
            training:
              total_steps: 400
              seeds: 1
              eval_interval: 200
              eval_episodes: 2
              log_interval: 100
              checkpoint_interval: 200
            blas: managed
            {{extraYaml}}
            """);
    }

    public DqnConfig Load(params string[] overrides) => _run.Load(overrides);

    public string SeedFolder(string name) => _run.SeedFolder(name);

    /// <param name="faulty">a BLAS that poisons W_hh's gradient (else the managed one).</param>
    public RunStatus Train(string name, long? stopAt = null, bool resume = false, FaultyBlas? faulty = null,
                           List<string>? log = null, float[]? weightsOut = null)
    {
        using var trainer = new DqnTrainer(Load(), 0, SeedFolder(name), faulty ?? (IBlas)new ManagedBlas(), log: m => log?.Add(m));
        var learner = (RecurrentLearner)trainer.Learner;
        if (faulty is not null) faulty.Target = () => learner.OnlineNetwork.WeightHhGrad;
        var status = trainer.Run(CancellationToken.None, resume, until: stopAt);
        if (weightsOut is not null)
        {
            learner.OnlineNetwork.CellParameters.CopyTo(weightsOut);
            learner.OnlineNetwork.Head.Parameters.Values.CopyTo(weightsOut.AsSpan(learner.OnlineNetwork.CellParameters.Length));
        }
        return status;
    }

    public int ParameterCount()
    {
        var config = Load();
        int observations = Environments.EnvironmentRegistry.Make(config.EnvId).ObservationSpace.Size;
        var net = RecurrentLearner.CreateNetwork(config, new ManagedBlas(), observations, 2, 0);
        return net.CellParameters.Length + net.Head.Parameters.Count;
    }

    public void Dispose() => _run.Dispose();
}
