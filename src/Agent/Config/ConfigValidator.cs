using System.Globalization;

namespace DqnStudy.Agent.Config;

/// <summary>A range or consistency problem. <paramref name="KeyPaths"/>: the key to blame first, then related keys
/// (the loader points at the first one the user actually wrote).</summary>
public sealed record ConfigIssue(IReadOnlyList<string> KeyPaths, string Message);

/// <summary>Value checks on a bound config; types are already right, so only ranges and relations remain.</summary>
public static class ConfigValidator
{
    /// <summary>The most seeds one run trains (training.seeds, --seeds).</summary>
    public const int MaxSeeds = 1000;

    public const long MaxTotalSteps = 1_000_000_000_000;
    public const int MaxEvalEpisodes = 100_000;

    public static IReadOnlyList<ConfigIssue> Validate(DqnConfig config, IReadOnlyCollection<string>? knownEnvIds = null)
    {
        var issues = new List<ConfigIssue>();
        void Check(bool ok, string message, params string[] paths)
        {
            if (!ok)
            {
                issues.Add(new ConfigIssue(paths, message));
            }
        }

        Check(IsSafeName(config.Name), $"'{config.Name}' cannot be a run name: use letters, digits, '.', '_' or '-' (not '.' or '..' alone)", "name");
        Check(config.EnvId.Length > 0, "must not be empty", "env_id");
        if (knownEnvIds is not null && config.EnvId.Length > 0 && !knownEnvIds.Contains(config.EnvId))
        {
            string? near = ConfigSchema.Closest(config.EnvId.ToLowerInvariant(), knownEnvIds, id => id.ToLowerInvariant());
            string hint = near is null ? "" : $"; did you mean '{near}'?";
            issues.Add(new ConfigIssue(["env_id"], $"unknown environment '{config.EnvId}'; registered: {string.Join(", ", knownEnvIds.Order(StringComparer.Ordinal))}{hint}"));
        }

        NetworkConfig net = config.Network;
        for (int i = 0; i < net.HiddenSizes.Count; i++)
        {
            Check(net.HiddenSizes[i] >= 1, $"must be ≥ 1, got {net.HiddenSizes[i]}", $"network.hidden_sizes[{i}]", "network.hidden_sizes");
        }
        Check(net.Type == NetworkKind.Mlp || net.HiddenSizes.Count >= 1,
            $"a {ConfigSchema.EnumName(net.Type)} network needs at least the recurrent hidden size, e.g. [64]", "network.hidden_sizes", "network.type");
        Check(net.Type != NetworkKind.Conv || net.Conv.Count >= 1,
            "a conv network needs at least one convolution, e.g. [{filters: 16, kernel: 3, stride: 1, padding: 0}]", "network.conv", "network.type");
        Check(net.Type == NetworkKind.Conv || net.Conv.Count == 0,
            $"only a conv network reads network.conv; this one is {ConfigSchema.EnumName(net.Type)}", "network.conv", "network.type");
        for (int i = 0; i < net.Conv.Count; i++)
        {
            ConvLayerConfig c = net.Conv[i];
            Check(c.Filters >= 1, $"network.conv[{i}].filters must be ≥ 1, got {c.Filters}", $"network.conv[{i}].filters", "network.conv");
            Check(c.Kernel >= 1, $"network.conv[{i}].kernel must be ≥ 1, got {c.Kernel}", $"network.conv[{i}].kernel", "network.conv");
            Check(c.Stride >= 1, $"network.conv[{i}].stride must be ≥ 1, got {c.Stride}", $"network.conv[{i}].stride", "network.conv");
            Check(c.Padding >= 0, $"network.conv[{i}].padding must be ≥ 0, got {c.Padding}", $"network.conv[{i}].padding", "network.conv");
        }
        Check(net.LeakySlope >= 0 && net.LeakySlope < 1, $"must be in [0, 1), got {F(net.LeakySlope)}", "network.leaky_slope");
        Check(net.InitScale > 0, $"must be > 0, got {F(net.InitScale)}", "network.init_scale");

        Check(config.Loss.Delta > 0, $"must be > 0, got {F(config.Loss.Delta)}", "loss.delta");

        OptimizerConfig opt = config.Optimizer;
        Check(opt.LearningRate > 0, $"must be > 0, got {F(opt.LearningRate)}", "optimizer.learning_rate");
        Check(opt.FinalLearningRate >= 0, $"must be ≥ 0, got {F(opt.FinalLearningRate)}", "optimizer.final_learning_rate");
        Check(opt.Beta1 >= 0 && opt.Beta1 < 1, $"must be in [0, 1), got {F(opt.Beta1)}", "optimizer.beta1");
        Check(opt.Beta2 >= 0 && opt.Beta2 < 1, $"must be in [0, 1), got {F(opt.Beta2)}", "optimizer.beta2");
        Check(opt.Eps > 0, $"must be > 0, got {F(opt.Eps)}", "optimizer.eps");
        Check(opt.Alpha >= 0 && opt.Alpha < 1, $"must be in [0, 1), got {F(opt.Alpha)}", "optimizer.alpha");
        Check(opt.Momentum >= 0 && opt.Momentum < 1, $"must be in [0, 1), got {F(opt.Momentum)}", "optimizer.momentum");
        Check(opt.WeightDecay >= 0, $"must be ≥ 0, got {F(opt.WeightDecay)}", "optimizer.weight_decay");

        Check(config.MaxGradNorm >= 0, $"must be ≥ 0 (0 = off), got {F(config.MaxGradNorm)}", "max_grad_norm");
        Check(config.ClipGradValue >= 0, $"must be ≥ 0 (0 = off), got {F(config.ClipGradValue)}", "clip_grad_value");

        DqnAlgorithmConfig dqn = config.Algorithm;
        Check(dqn.Gamma >= 0 && dqn.Gamma <= 1, $"must be in [0, 1], got {F(dqn.Gamma)}", "dqn.gamma");
        Check(dqn.BatchSize > 0, $"must be > 0, got {dqn.BatchSize}", "dqn.batch_size");
        Check(dqn.BatchSize <= 0 || dqn.BufferSize >= dqn.BatchSize,
            $"buffer_size ({dqn.BufferSize}) must be ≥ batch_size ({dqn.BatchSize}): the buffer must hold a batch", "dqn.buffer_size", "dqn.batch_size");
        Check(dqn.BatchSize <= 0 || dqn.LearningStarts >= dqn.BatchSize,
            $"learning_starts ({dqn.LearningStarts}) must be ≥ batch_size ({dqn.BatchSize}): the first batch needs that many transitions", "dqn.learning_starts", "dqn.batch_size");
        Check(dqn.TrainFreq >= 1, $"must be ≥ 1, got {dqn.TrainFreq}", "dqn.train_freq");
        Check(dqn.GradientSteps >= 1, $"must be ≥ 1, got {dqn.GradientSteps}", "dqn.gradient_steps");
        Check(dqn.TargetUpdateInterval >= 1, $"must be ≥ 1, got {dqn.TargetUpdateInterval}", "dqn.target_update_interval");
        Check(dqn.Tau > 0 && dqn.Tau <= 1, $"must be in (0, 1] (1 = hard copy), got {F(dqn.Tau)}", "dqn.tau");
        Check(dqn.ExplorationInitialEps >= 0 && dqn.ExplorationInitialEps <= 1, $"must be in [0, 1], got {F(dqn.ExplorationInitialEps)}", "dqn.exploration_initial_eps");
        Check(dqn.ExplorationFinalEps >= 0 && dqn.ExplorationFinalEps <= 1, $"must be in [0, 1], got {F(dqn.ExplorationFinalEps)}", "dqn.exploration_final_eps");
        Check(dqn.ExplorationFraction >= 0 && dqn.ExplorationFraction <= 1, $"must be in [0, 1], got {F(dqn.ExplorationFraction)}", "dqn.exploration_fraction");
        Check(dqn.ExplorationSteps >= 0, $"must be ≥ 0 (0 = exploration_fraction × total_steps), got {dqn.ExplorationSteps}", "dqn.exploration_steps");
        Check(dqn.ReplayObservations == ReplayStorage.Float || net.Type is NetworkKind.Mlp or NetworkKind.Conv,
            "bits storage is for the mlp and conv replay buffer; a recurrent network's sequence buffer stores floats", "dqn.replay_observations", "network.type");
        Check(dqn.SequenceLength >= 1, $"must be ≥ 1, got {dqn.SequenceLength}", "dqn.sequence_length");

        TrainingConfig training = config.Training;
        Check(training.TotalSteps > 0, $"must be > 0, got {training.TotalSteps}", "training.total_steps");
        // Past these, a run would never end (years of steps, an evaluation of billions of episodes): a typo.
        Check(training.TotalSteps <= MaxTotalSteps, $"must be ≤ {MaxTotalSteps:N0}, got {training.TotalSteps:N0}", "training.total_steps");
        Check(training.EvalEpisodes <= MaxEvalEpisodes, $"must be ≤ {MaxEvalEpisodes:N0}, got {training.EvalEpisodes:N0}", "training.eval_episodes");
        Check(training.Seeds >= 1, $"must be ≥ 1, got {training.Seeds}", "training.seeds");
        // Each seed is a folder, a lock held open and a thread's turn: thousands are a typo, not a study.
        Check(training.Seeds <= MaxSeeds, $"must be ≤ {MaxSeeds}, got {training.Seeds} (each seed is a run folder; train more as separate runs with --seed)", "training.seeds");
        Check(training.EvalInterval >= 0, $"must be ≥ 0 (0 = only at the end), got {training.EvalInterval}", "training.eval_interval");
        Check(training.EvalEpisodes >= 0, $"must be ≥ 0, got {training.EvalEpisodes}", "training.eval_episodes");
        Check(training.EvalInterval <= 0 || training.EvalEpisodes != 0,
            $"must be ≥ 1 when evaluation is on (eval_interval {training.EvalInterval}); set eval_interval: 0 to turn it off", "training.eval_episodes", "training.eval_interval");
        Check(training.LogInterval >= 1, $"must be ≥ 1, got {training.LogInterval}", "training.log_interval");
        Check(training.CheckpointInterval >= 0, $"must be ≥ 0 (0 = off), got {training.CheckpointInterval}", "training.checkpoint_interval");

        Check(config.BlasThreads >= 1, $"must be ≥ 1, got {config.BlasThreads}", "blas_threads");

        InstrumentsConfig instruments = config.Instruments;
        Check(instruments.ProbeSize >= 1, $"must be ≥ 1, got {instruments.ProbeSize}", "instruments.probe_size");
        Check(instruments.SaturationThreshold > 0 && instruments.SaturationThreshold < 1,
            $"must be in (0, 1), got {F(instruments.SaturationThreshold)}", "instruments.saturation_threshold");
        Check(instruments.DeadReluWarning >= 0 && instruments.DeadReluWarning <= 1,
            $"must be in [0, 1], got {F(instruments.DeadReluWarning)}", "instruments.dead_relu_warning");
        return issues;
    }

    /// <summary>Run names become folder names: no separators, no '..', nothing a shell or file system treats specially.</summary>
    public static bool IsSafeName(string name) =>
        name.Length is > 0 and <= 100 && name is not "." and not ".."
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    private static string F(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
