using DqnStudy.Nn.Losses;

namespace DqnStudy.Agent.Config;

/// <summary>One DQN experiment, as read from YAML (snake_case keys). Every default lives here, in the property
/// initialisers, and nowhere else; docs/config.md documents each key (a test keeps the two in step).
/// Load it with <see cref="ConfigLoader.Load"/>, which also merges <c>extends:</c>, applies <c>--set</c> and validates.</summary>
public sealed record DqnConfig
{
    /// <summary>Run name (folder under runs/). Default: the config file name without <c>.yaml</c>.</summary>
    public string Name { get; init; } = "";

    /// <summary>Environment id in the environment registry, e.g. <c>CartPole-v1</c>.</summary>
    public string EnvId { get; init; } = "CartPole-v1";

    /// <summary>Extra keyword arguments for the environment factory (scalar text, parsed by the factory).</summary>
    public ValueMap EnvKwargs { get; init; } = ValueMap.Empty;

    /// <summary>Q-network architecture and initialisation.</summary>
    public NetworkConfig Network { get; init; } = new();

    /// <summary>TD loss.</summary>
    public LossConfig Loss { get; init; } = new();

    /// <summary>Optimiser and its settings.</summary>
    public OptimizerConfig Optimizer { get; init; } = new();

    /// <summary>Global-norm gradient clipping (torch <c>clip_grad_norm_</c>); 0 = off.</summary>
    public double MaxGradNorm { get; init; } = 10.0;

    /// <summary>Clip each gradient element to ±value (torch <c>clip_grad_value_</c>); 0 = off.</summary>
    public double ClipGradValue { get; init; } = 0.0;

    /// <summary>DQN algorithm settings (SB3 / RL Zoo names), YAML section <c>dqn:</c> (the property is not called Dqn
    /// so that <c>config.Algorithm</c> is never mistaken for the namespace Dqn).</summary>
    [ConfigKey("dqn")]
    public DqnAlgorithmConfig Algorithm { get; init; } = new();

    /// <summary>Run length, seeds, evaluation, logging and checkpoint intervals.</summary>
    public TrainingConfig Training { get; init; } = new();

    /// <summary>BLAS provider: auto (the faster of MKL and managed here, timed at start-up; managed without MKL), mkl, managed.</summary>
    public BlasMode Blas { get; init; } = BlasMode.Auto;

    /// <summary>BLAS threads per seed.</summary>
    public int BlasThreads { get; init; } = 1;

    /// <summary>Backprop diagnostics on a fixed probe set.</summary>
    public InstrumentsConfig Instruments { get; init; } = new();

    /// <summary>Extra log formats beside the CSV files.</summary>
    public LoggingConfig Logging { get; init; } = new();
}

/// <summary>Q-network shape. MLP: <c>hidden_sizes</c> are the dense widths. conv: the <c>conv</c> layers on the
/// (C, H, W) observation, each followed by the activation, then a flatten and the dense widths of <c>hidden_sizes</c>.
/// rnn/lstm: the first entry is the recurrent layer's hidden size, the rest are dense widths after it.</summary>
public sealed record NetworkConfig
{
    /// <summary>mlp | conv | rnn | lstm.</summary>
    public NetworkKind Type { get; init; } = NetworkKind.Mlp;

    /// <summary>Hidden widths, input to output.</summary>
    public ValueList<int> HiddenSizes { get; init; } = [64, 64];

    /// <summary>Hidden activation.</summary>
    public ActivationKind Activation { get; init; } = ActivationKind.Relu;

    /// <summary>Negative-side slope of leaky_relu.</summary>
    public double LeakySlope { get; init; } = 0.01;

    /// <summary>Weight initialiser.</summary>
    public InitKind Init { get; init; } = InitKind.TorchDefault;

    /// <summary>Multiplies the initialiser's bound or std; for <c>normal</c> it is the std itself.</summary>
    public double InitScale { get; init; } = 1.0;

    /// <summary>conv networks only: the convolutions, input first, e.g. [{filters: 16, kernel: 3}].</summary>
    public ValueList<ConvLayerConfig> Conv { get; init; } = [];
}

/// <summary>One torch.nn.Conv2d of a conv network: square kernel, same stride and zero padding on both axes.</summary>
public sealed record ConvLayerConfig
{
    /// <summary>Output channels.</summary>
    public int Filters { get; init; } = 16;

    /// <summary>Kernel height and width.</summary>
    public int Kernel { get; init; } = 3;

    /// <summary>Stride on both axes.</summary>
    public int Stride { get; init; } = 1;

    /// <summary>Zero padding on both axes.</summary>
    public int Padding { get; init; } = 0;
}

/// <summary>TD loss on delta = target − Q(s, a).</summary>
public sealed record LossConfig
{
    /// <summary>huber | clipped_delta | mse | deepmind_clamp.</summary>
    public LossKind Type { get; init; } = LossKind.Huber;

    /// <summary>Huber's delta; the clip bound c for clipped_delta and deepmind_clamp.</summary>
    public double Delta { get; init; } = 1.0;
}

/// <summary>Optimiser settings; each optimiser reads the keys it uses and ignores the others.</summary>
public sealed record OptimizerConfig
{
    /// <summary>adam | sgd | rmsprop | deepmind_rmsprop.</summary>
    public OptimizerKind Type { get; init; } = OptimizerKind.Adam;

    /// <summary>Step size (with lr_schedule linear: the step size at step 0).</summary>
    public double LearningRate { get; init; } = 1.0e-4;

    /// <summary>constant | linear (from learning_rate at step 0 to final_learning_rate at total_steps, SB3's lin_).</summary>
    public LrScheduleKind LrSchedule { get; init; } = LrScheduleKind.Constant;

    /// <summary>lr_schedule linear: the step size at total_steps.</summary>
    public double FinalLearningRate { get; init; } = 0.0;

    /// <summary>Adam's first-moment decay.</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>Adam's second-moment decay.</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>Denominator epsilon (Adam, RMSProp).</summary>
    public double Eps { get; init; } = 1.0e-8;

    /// <summary>RMSProp smoothing constant (deepmind_rmsprop: the decay).</summary>
    public double Alpha { get; init; } = 0.99;

    /// <summary>Momentum (SGD, RMSProp).</summary>
    public double Momentum { get; init; } = 0.0;

    /// <summary>Centred RMSProp (divide by the variance estimate rather than the second moment).</summary>
    public bool Centered { get; init; } = false;

    /// <summary>L2 penalty added to the gradient (torch's weight_decay, not AdamW's decoupled decay).</summary>
    public double WeightDecay { get; init; } = 0.0;
}

/// <summary>DQN algorithm settings, named as in Stable-Baselines3 / RL Zoo.</summary>
public sealed record DqnAlgorithmConfig
{
    /// <summary>Discount factor.</summary>
    public double Gamma { get; init; } = 0.99;

    /// <summary>Replay buffer capacity (transitions).</summary>
    public int BufferSize { get; init; } = 100_000;

    /// <summary>Transitions (or sequences, for recurrent nets) per gradient step.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Env steps collected before the first gradient step.</summary>
    public int LearningStarts { get; init; } = 1000;

    /// <summary>Env steps between training phases.</summary>
    public int TrainFreq { get; init; } = 4;

    /// <summary>Gradient steps per training phase.</summary>
    public int GradientSteps { get; init; } = 1;

    /// <summary>Env steps between target-network updates.</summary>
    public int TargetUpdateInterval { get; init; } = 1000;

    /// <summary>Target update rate: 1 = hard copy, below 1 = Polyak averaging.</summary>
    public double Tau { get; init; } = 1.0;

    /// <summary>Double DQN: the online net picks the next action, the target net values it.</summary>
    public bool DoubleDqn { get; init; } = false;

    /// <summary>ε at step 0.</summary>
    public double ExplorationInitialEps { get; init; } = 1.0;

    /// <summary>ε after the decay.</summary>
    public double ExplorationFinalEps { get; init; } = 0.05;

    /// <summary>Share of total_steps over which ε decays linearly.</summary>
    public double ExplorationFraction { get; init; } = 0.1;

    /// <summary>Env steps over which ε decays; 0 = exploration_fraction × total_steps.</summary>
    public long ExplorationSteps { get; init; } = 0;

    /// <summary>ε stays at its initial value until learning_starts and decays from there (MinAtar's dqn.py); false:
    /// it decays from step 0 (SB3, cleanrl).</summary>
    public bool ExplorationAfterLearningStarts { get; init; } = false;

    /// <summary>How the replay buffer stores observations: float (any values) | bits (0/1 observations such as
    /// MinAtar's, packed 8 to a byte; another value is an error).</summary>
    public ReplayStorage ReplayObservations { get; init; } = ReplayStorage.Float;

    /// <summary>Recurrent nets only: length of replayed sequences (DRQN).</summary>
    public int SequenceLength { get; init; } = 8;
}

/// <summary>Run length, seeds and the cadence of evaluation, logging and checkpoints (all in env steps).</summary>
public sealed record TrainingConfig
{
    /// <summary>Env steps per seed.</summary>
    public long TotalSteps { get; init; } = 100_000;

    /// <summary>Number of seeds; seeds 0..seeds-1 are run.</summary>
    public int Seeds { get; init; } = 5;

    /// <summary>Env steps between greedy evaluations; 0 = only at the end.</summary>
    public long EvalInterval { get; init; } = 10_000;

    /// <summary>Episodes per greedy evaluation; 0 = no evaluation (only allowed with eval_interval 0).</summary>
    public int EvalEpisodes { get; init; } = 10;

    /// <summary>Env steps between progress.csv rows.</summary>
    public long LogInterval { get; init; } = 1000;

    /// <summary>Env steps between checkpoints; 0 = off.</summary>
    public long CheckpointInterval { get; init; } = 25_000;
}

/// <summary>Backprop diagnostics computed on a fixed probe set every log interval.</summary>
public sealed record InstrumentsConfig
{
    /// <summary>Compute and log the diagnostics.</summary>
    public bool Enabled { get; init; } = false;

    /// <summary>Observations in the fixed probe set.</summary>
    public int ProbeSize { get; init; } = 1024;

    /// <summary>A sigmoid/tanh unit counts as saturated on a probe input when its local gradient, divided by its
    /// maximum (0.25 for sigmoid, 1 for tanh), is below this.</summary>
    public double SaturationThreshold { get; init; } = 0.01;

    /// <summary>Warn when the share of ReLU units dead on the whole probe set exceeds this.</summary>
    public double DeadReluWarning { get; init; } = 0.4;
}

/// <summary>Extra log formats written beside monitor.csv, progress.csv and eval.csv, with the same numbers.</summary>
public sealed record LoggingConfig
{
    /// <summary>Also write TensorBoard event files (events.out.tfevents.*) in each seed folder.</summary>
    public bool Tensorboard { get; init; } = false;
}
