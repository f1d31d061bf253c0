namespace DqnStudy.Agent.Config;

// YAML spells every member in snake_case (LeakyRelu -> leaky_relu); ConfigSchema.EnumName does the mapping.
// The TD loss kind is Nn's own LossKind (config key loss.type).

/// <summary>Q-network family: a feed-forward MLP, a convolutional network on (C, H, W) observations, or a recurrent
/// Q-network (DRQN) with one recurrent layer.</summary>
public enum NetworkKind { Mlp, Rnn, Lstm, Conv }

/// <summary>Replay buffer observation storage: float32 as observed, or one bit per 0/1 value.</summary>
public enum ReplayStorage { Float, Bits }

/// <summary>Hidden-layer activation.</summary>
public enum ActivationKind { Relu, LeakyRelu, Sigmoid, Tanh, Identity }

/// <summary>Weight initialiser; <c>torch_default</c> is what torch <c>nn.Linear</c> does (kaiming_uniform with a=√5).</summary>
public enum InitKind { TorchDefault, XavierUniform, XavierNormal, KaimingUniform, KaimingNormal, Normal }

/// <summary>Optimiser; <c>deepmind_rmsprop</c> is the centred RMSProp of the 2015 Nature DQN.</summary>
public enum OptimizerKind { Adam, Sgd, Rmsprop, DeepmindRmsprop }

/// <summary>Learning-rate schedule over the run: constant, or linear from learning_rate to final_learning_rate.</summary>
public enum LrScheduleKind { Constant, Linear }

/// <summary>BLAS provider choice; the DQNSTUDY_BLAS environment variable overrides it.</summary>
public enum BlasMode { Auto, Mkl, Managed }
