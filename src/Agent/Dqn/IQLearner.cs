using DqnStudy.Agent.Seeding;

namespace DqnStudy.Agent.Dqn;

/// <summary>
/// The Q-network side of DQN (SB3's policy plus its replay buffer): what <see cref="DqnTrainer"/>'s one loop asks of
/// a network kind. A new kind of Q-network is a new learner, not a new loop. The trainer owns the environment, the
/// counters, the random generator, the schedule and the run's files; the learner owns its networks, optimiser,
/// replay and whatever its progress.csv columns need.
/// </summary>
public interface IQLearner
{
    /// <summary>progress.csv columns the learner fills between the shared head and tail (per-tensor gradient norms, …).</summary>
    IReadOnlyList<string> Columns { get; }

    /// <summary>progress.csv columns after the shared tail (the instruments), or none.</summary>
    IReadOnlyList<string> TrailingColumns { get; }

    /// <summary>How many per-tensor gradient norms each update hands to the interval statistics.</summary>
    int GradientGroups { get; }

    /// <summary>A new episode starts (a recurrent learner zeroes its acting state).</summary>
    void BeginEpisode();

    /// <summary>The greedy action for the current observation; when `explore` (ε chose a random action) a learner
    /// that need not run its network may return -1, but a recurrent one still reads the observation.</summary>
    int Act(ReadOnlySpan<float> observation, bool explore);

    /// <summary>The greedy policy of the online network for evaluation episodes (never touches the acting state).</summary>
    GreedyPolicy EvaluationPolicy { get; }

    /// <summary>Stores one transition (`episode`: the number of the episode it belongs to).</summary>
    void Remember(ReadOnlySpan<float> observation, ReadOnlySpan<float> nextObservation, int action, float reward,
                  bool terminated, bool truncated, long episode);

    /// <summary>One gradient step on a minibatch sampled with `rng`; adds its figures to `interval` and returns the
    /// global gradient norm before clipping. Throws <see cref="NumericalFault"/> on a NaN or infinity.</summary>
    double Update(Rng rng, IntervalStats interval);

    /// <summary>The optimiser's step size for the next updates (the trainer's learning-rate schedule sets it before
    /// each training phase).</summary>
    float LearningRate { set; }

    /// <summary>Copies (tau ≥ 1) or Polyak-averages the online network into the target network.</summary>
    void UpdateTarget(double tau);

    /// <summary>Throws <see cref="NumericalFault"/> when a weight is not finite (checked once per progress row).</summary>
    void CheckWeights();

    /// <summary>Fills <see cref="Columns"/> at `row[0..]` from `interval` and ends the learner's part of the interval.</summary>
    void WriteColumns(Span<double> row, IntervalStats interval);

    /// <summary>Fills <see cref="TrailingColumns"/> at `row[0..]`.</summary>
    void WriteTrailingColumns(Span<double> row, long step);

    /// <summary>The online Q-network alone, as a model file (best_model.bin, final_model.bin): what `evaluate` and
    /// `export` load, with the run's config.yaml, and no training state.</summary>
    void SaveModel(BinaryWriter writer);

    /// <summary>The online network's architecture in one line ("4 → fc 64 → relu → fc 2"), for the model's .json.</summary>
    string DescribeNetwork();

    void Save(BinaryWriter writer);

    /// <summary>Reads what <see cref="Save"/> wrote; InvalidDataException (naming `path`) when it does not fit.</summary>
    void Load(BinaryReader reader, string path);
}

/// <summary>A NaN or infinity found by a learner: what and where. The trainer adds its counters
/// (<see cref="NumericalFaultException"/>).</summary>
public sealed class NumericalFault(string quantity, string where) : Exception($"non-finite {quantity} in {where}")
{
    public string Quantity { get; } = quantity;
    public string Where { get; } = where;
}
