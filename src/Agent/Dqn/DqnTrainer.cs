using DqnStudy.Agent.Seeding;
using System.Diagnostics;
using DqnStudy.Agent.Config;
using DqnStudy.Agent.Dqn.Recurrent;
using DqnStudy.Agent.Logging;
using DqnStudy.Environments;
using DqnStudy.Nn.Blas;

namespace DqnStudy.Agent.Dqn;

/// <summary>
/// DQN for one seed, read top to bottom like cleanrl's dqn.py: act ε-greedily, store the transition,
/// every train_freq steps take gradient_steps updates on sampled minibatches against a target
/// network, update the target, log, evaluate greedily, checkpoint. One loop for every kind of Q-network:
/// what differs between an MLP and a recurrent network lives in its <see cref="IQLearner"/>. It knows
/// nothing of the host: tests call it directly.
/// </summary>
public sealed class DqnTrainer : IDisposable
{
    private readonly DqnConfig _config;
    private readonly int _seed;
    private readonly Action<string> _log;
    private readonly string _runFolder;

    private readonly IEnvironment _env;
    private readonly IEnvironment _evalEnv;
    private readonly int _observationSize;
    private readonly int _actionCount;
    private readonly IQLearner _learner;
    private readonly EpsilonSchedule _epsilon;
    private readonly LearningRateSchedule _learningRate;
    private float[] _observation;
    private float[] _nextObservation;

    // Run state: a checkpoint saves exactly this (the record's counters, logs and statistics first, then the learner's).
    private readonly RunRecord _run;
    private readonly Rng _rng;
    private readonly double[] _progressRow;

    public DqnTrainer(DqnConfig config, int seed, string runFolder, IBlas blas, TrainingProgress? progress = null,
                      Action<string>? log = null)
    {
        _config = config;
        _seed = seed;
        _log = log ?? (_ => { });
        _runFolder = runFolder;

        _env = DqnComponents.CreateEnvironment(config);
        _evalEnv = DqnComponents.CreateEnvironment(config);
        _observationSize = _env.ObservationSpace.Size;
        _actionCount = _env.ActionSpace.N;
        _learner = CreateLearner(config, blas, _env.ObservationSpace.Shape, _actionCount, seed, _log);
        var dqn = config.Algorithm;
        _epsilon = EpsilonSchedule.For(config);
        _learningRate = new LearningRateSchedule(config.Optimizer, config.Training.TotalSteps);
        _observation = new float[_observationSize];
        _nextObservation = new float[_observationSize];

        _rng = new Rng(Seeds.Agent(seed));
        var progressColumns = RunRecord.ProgressColumns(_learner.Columns);
        progressColumns.AddRange(_learner.TrailingColumns);
        _progressRow = new double[progressColumns.Count];
        _run = new RunRecord(config, seed, runFolder, blas, progress ?? new TrainingProgress(seed, config.Training.TotalSteps),
                             _log, progressColumns, _learner.GradientGroups);
    }

    /// <summary>The learner for network.type: mlp and conv → <see cref="MlpLearner"/>, rnn/lstm → <see cref="RecurrentLearner"/>.</summary>
    public static IQLearner CreateLearner(DqnConfig config, IBlas blas, IReadOnlyList<int> observationShape, int actionCount, int seed, Action<string> log) =>
        config.Network.Type is NetworkKind.Rnn or NetworkKind.Lstm
            ? new RecurrentLearner(config, blas, observationShape.Aggregate(1, (a, b) => a * b), actionCount, seed)
            : new MlpLearner(config, blas, observationShape, actionCount, seed, log);

    public const string CheckpointFileName = RunRecord.CheckpointFileName;

    /// <summary>Behave as if interrupted when this step is reached (tests of interrupt-and-resume).</summary>
    internal long? StopAtStep { get; init; }

    public IQLearner Learner => _learner;
    public long Step => _run.Step;
    public long Updates => _run.Updates;

    /// <summary>Trains to total_steps (or until `stop` fires: then saves a checkpoint and returns Interrupted).</summary>
    public RunStatus Run(CancellationToken stop, bool resume = false)
    {
        long total = _config.Training.TotalSteps;
        if (resume) _run.RestoreCheckpoint(_env, _observation, ReadCheckpoint);
        else StartFresh();
        _run.StartClock();
        var dqn = _config.Algorithm;
        var training = _config.Training;

        try
        {
            while (_run.Step < total)
            {
                if (stop.IsCancellationRequested || _run.Step == StopAtStep)
                {
                    SaveCheckpoint();
                    _run.Finish("interrupted", null, _epsilon.At(_run.Step));
                    return RunStatus.Interrupted;
                }

                // ε-greedy action on the current observation (a recurrent learner reads it either way).
                double epsilon = _epsilon.At(_run.Step);
                bool explore = _rng.NextDouble() < epsilon;
                int greedy = _learner.Act(_observation, explore);
                int action = explore ? _rng.NextInt(_actionCount) : greedy;

                // Step, and store the true next observation (on truncation: the episode's final one).
                var result = _env.Step(action);
                result.Observation.CopyTo(_nextObservation);
                _learner.Remember(_observation, _nextObservation, action, (float)result.Reward, result.Terminated, result.Truncated, _run.Episodes);
                _run.StepTaken(action, result.Reward);
                long step = _run.Step;

                if (result.Terminated || result.Truncated)
                {
                    _run.EndEpisode();
                    BeginEpisode();
                }
                else
                {
                    (_observation, _nextObservation) = (_nextObservation, _observation);
                }

                // Learn.
                if (step > dqn.LearningStarts)
                {
                    if (step % dqn.TrainFreq == 0)
                    {
                        long start = Stopwatch.GetTimestamp();
                        _learner.LearningRate = (float)_learningRate.At(step);
                        for (int g = 0; g < dqn.GradientSteps; g++) Update();
                        _run.UpdateTicks += Stopwatch.GetTimestamp() - start;
                    }
                    if (step % dqn.TargetUpdateInterval == 0) _learner.UpdateTarget(dqn.Tau);
                }

                if ((step & 255) == 0) _run.PublishProgress(epsilon);
                if (step % training.LogInterval == 0) WriteProgressRow(epsilon);
                if (training.EvalInterval > 0 && step % training.EvalInterval == 0) Evaluate();
                if (training.CheckpointInterval > 0 && step % training.CheckpointInterval == 0 && step < total) SaveCheckpoint();
            }

            bool evaluationOn = training.EvalEpisodes > 0;
            if (evaluationOn && (training.EvalInterval == 0 || total % training.EvalInterval != 0)) Evaluate();
            SaveModel(ModelKind.Final);
            SaveCheckpoint();
            _run.Finish("completed", null, _epsilon.At(_run.Step));
            return RunStatus.Completed;
        }
        catch (NumericalFault found)
        {
            // Keep the last good checkpoint and the logs; do not save the poisoned state.
            var fault = _run.Fault(found.Quantity, found.Where);
            _log($"seed {_seed}: {fault.Message}");
            _run.Finish("failed", fault.Message, _epsilon.At(_run.Step));
            return RunStatus.Failed;
        }
    }

    private void StartFresh()
    {
        _run.StartFresh();
        BeginEpisode();
    }

    private void BeginEpisode()
    {
        _env.Reset(_run.BeginEpisode()).CopyTo(_observation);
        _learner.BeginEpisode();
    }

    private void Update()
    {
        _run.LastFiniteGradNorm = _learner.Update(_rng, _run.Interval);
        _run.Updates++;
    }

    // ---- evaluation and logging ---------------------------------------------------------------

    private void Evaluate()
    {
        Span<float> observation = stackalloc float[_observationSize];
        var evaluation = GreedyEvaluation.Run(_evalEnv, _learner.EvaluationPolicy, observation, _seed, _run.Evaluations, _config.Training.EvalEpisodes);
        if (_run.Evaluated(evaluation)) SaveModel(ModelKind.Best);
    }

    /// <summary>best_model.bin at each new best evaluation (SB3's EvalCallback), final_model.bin at the end.</summary>
    private void SaveModel(ModelKind kind) =>
        ModelFiles.Save(_runFolder, kind, _learner.SaveModel, _run.ModelInfo(kind, _learner.DescribeNetwork()));

    private void WriteProgressRow(double epsilon)
    {
        _learner.CheckWeights();
        Span<double> row = _progressRow;
        int c = _run.WriteRowHead(row, epsilon);
        _learner.WriteColumns(row.Slice(c, _learner.Columns.Count), _run.Interval);
        c = _run.WriteRowTail(row, c + _learner.Columns.Count);
        _learner.WriteTrailingColumns(row[c..], _run.Step);
        _run.AppendProgressRow(row);
    }

    // ---- checkpoint: after the record's part, the generator's and the learner's ------------------

    private void SaveCheckpoint() => _run.SaveCheckpoint(writer =>
    {
        _rng.Save(writer);
        _learner.Save(writer);
    });

    private void ReadCheckpoint(BinaryReader reader, string path)
    {
        _rng.Load(reader);
        _learner.Load(reader, path);
    }

    public void Dispose() => _run.Dispose();
}

public enum RunStatus
{
    Completed,
    Interrupted,
    Failed,
}
