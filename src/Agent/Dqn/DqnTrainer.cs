using DqnStudy.Agent.Seeding;
using System.Diagnostics;
using DqnStudy.Agent.Config;
using DqnStudy.Agent.Dqn.Recurrent;
using DqnStudy.Agent.Runs;
using DqnStudy.Environments;
using DqnStudy.Nn.Blas;

namespace DqnStudy.Agent.Dqn;

/// <summary>
/// DQN for one seed, read top to bottom like cleanrl's dqn.py: act ε-greedily, store the transition,
/// every train_freq steps take gradient_steps updates on sampled minibatches against a target
/// network, update the target, log, evaluate greedily, checkpoint. One loop for every kind of Q-network:
/// what differs between an MLP and a recurrent network lives in its <see cref="IQLearner"/>. The trainer holds the
/// counters; the run's files are its <see cref="RunLog"/>'s and the checkpoint's frame is <see cref="Checkpoint"/>'s.
/// It knows nothing of the host: tests call it directly.
/// </summary>
public sealed class DqnTrainer : IDisposable
{
    private readonly DqnConfig _config;
    private readonly int _seed;
    private readonly string _runFolder;
    private readonly IBlas _blas;
    private readonly Action<string> _log;
    private readonly TrainingProgress _progress;

    private readonly EpisodeStatistics _env;
    private readonly EpisodeStatistics _evalEnv;
    private readonly int _actionCount;
    private readonly IQLearner _learner;
    private readonly EpsilonSchedule _epsilon;
    private readonly LearningRateSchedule _learningRate;
    private readonly IReadOnlyList<string> _progressColumns;
    private readonly double[] _progressRow;
    private readonly float[] _evalObservation;
    private float[] _observation;
    private float[] _nextObservation;

    // Run state: a checkpoint saves exactly this (SaveState), and the run log's part.
    private long _step;
    private long _updates;
    private long _episodes;
    private long _evaluations;
    private double _lastFiniteGradNorm;
    private readonly RunningEpisode _episode = new();
    private readonly IntervalStats _interval;
    private readonly Rng _rng;
    private RunLog _runLog = null!;
    private long _updateTicks;   // this session's time in updates (microseconds_per_update)

    public DqnTrainer(DqnConfig config, int seed, string runFolder, IBlas blas, TrainingProgress? progress = null,
                      Action<string>? log = null)
    {
        _config = config;
        _seed = seed;
        _runFolder = runFolder;
        _blas = blas;
        _log = log ?? (_ => { });
        _progress = progress ?? new TrainingProgress(seed, config.Training.TotalSteps);

        // Each environment counts its episodes' returns and lengths (cleanrl's RecordEpisodeStatistics).
        _env = new EpisodeStatistics(DqnComponents.CreateEnvironment(config));
        _evalEnv = new EpisodeStatistics(DqnComponents.CreateEnvironment(config));
        _actionCount = _env.ActionSpace.N;
        _learner = CreateLearner(config, blas, _env.ObservationSpace.Shape, _actionCount, seed, _log);
        _epsilon = EpsilonSchedule.For(config);
        _learningRate = new LearningRateSchedule(config.Optimizer, config.Training.TotalSteps);
        _observation = new float[_env.ObservationSpace.Size];
        _nextObservation = new float[_env.ObservationSpace.Size];
        _evalObservation = new float[_env.ObservationSpace.Size];

        _rng = new Rng(Seeds.Agent(seed));
        _interval = new IntervalStats(_learner.GradientGroups);
        _progressColumns = RunFolder.ProgressColumns(_learner.Columns, _learner.TrailingColumns);
        _progressRow = new double[_progressColumns.Count];
    }

    /// <summary>The learner for network.type: mlp and conv → <see cref="MlpLearner"/>, rnn/lstm → <see cref="RecurrentLearner"/>.</summary>
    public static IQLearner CreateLearner(DqnConfig config, IBlas blas, IReadOnlyList<int> observationShape, int actionCount, int seed, Action<string> log) =>
        config.Network.Type is NetworkKind.Rnn or NetworkKind.Lstm
            ? new RecurrentLearner(config, blas, observationShape.Aggregate(1, (a, b) => a * b), actionCount, seed)
            : new MlpLearner(config, blas, observationShape, actionCount, seed, log);

    public IQLearner Learner => _learner;
    public long Step => _step;
    public long Updates => _updates;

    /// <summary>
    /// Trains to total_steps, or until `stop` fires or the env step reaches `until` (a session's budget): then saves a
    /// checkpoint and returns Interrupted, and a later <c>Run(…, resume: true)</c> continues exactly where it stopped.
    /// </summary>
    public RunStatus Run(CancellationToken stop, bool resume = false, long? until = null)
    {
        long total = _config.Training.TotalSteps;
        long end = Math.Min(until ?? total, total);
        if (resume) Resume();
        else StartFresh();
        _runLog.StartClock(_step);
        _progress.State = "training";
        var dqn = _config.Algorithm;
        var training = _config.Training;

        try
        {
            // A stop inside an evaluation abandoned it and checkpointed the step it belongs to: do it now.
            if (_evaluations < EvaluationsDue(_step)) Evaluate(stop);

            while (_step < total)
            {
                if (stop.IsCancellationRequested || _step >= end)
                {
                    SaveCheckpoint();
                    Finish("interrupted", null);
                    return RunStatus.Interrupted;
                }

                // ε-greedy action on the current observation (a recurrent learner reads it either way).
                double epsilon = _epsilon.At(_step);
                bool explore = _rng.NextDouble() < epsilon;
                int greedy = _learner.Act(_observation, explore);
                int action = explore ? _rng.NextInt(_actionCount) : greedy;

                // Step, and store the true next observation (on truncation: the episode's final one).
                var result = _env.Step(action);
                result.Observation.CopyTo(_nextObservation);
                _learner.Remember(_observation, _nextObservation, action, (float)result.Reward, result.Terminated, result.Truncated, _episodes);
                _episode.Add(action);
                long step = ++_step;

                if (_env.EpisodeEnded)
                {
                    _episodes++;
                    _runLog.Episode(step, _env.LastEpisodeReturn, _env.LastEpisodeLength);
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
                        for (int g = 0; g < dqn.GradientSteps; g++)
                        {
                            _lastFiniteGradNorm = _learner.Update(_rng, _interval);
                            _updates++;
                        }
                        _updateTicks += Stopwatch.GetTimestamp() - start;
                    }
                    if (step % dqn.TargetUpdateInterval == 0) _learner.UpdateTarget(dqn.Tau);
                }

                if ((step & 255) == 0) PublishProgress(epsilon);
                if (step % training.LogInterval == 0) WriteProgressRow(epsilon);
                if (training.EvalInterval > 0 && step % training.EvalInterval == 0) Evaluate(stop);
                if (training.CheckpointInterval > 0 && step % training.CheckpointInterval == 0 && step < total) SaveCheckpoint();
            }

            // The closing evaluation (unless the last step had one), then the final model.
            bool closing = training.EvalEpisodes > 0 && (training.EvalInterval == 0 || total % training.EvalInterval != 0);
            if (_evaluations < EvaluationsDue(total) || (closing && !Evaluate(stop)))
            {
                SaveCheckpoint();
                Finish("interrupted", null);
                return RunStatus.Interrupted;
            }
            SaveModel(ModelKind.Final);
            SaveCheckpoint();
            Finish("completed", null);
            return RunStatus.Completed;
        }
        catch (NumericalFault found)
        {
            // Keep the last good checkpoint and the logs; do not save the poisoned state.
            var fault = new NumericalFaultException(_step, _updates, found.Quantity, found.Where, _lastFiniteGradNorm);
            _log($"seed {_seed}: {fault.Message}");
            Finish("failed", fault.Message);
            return RunStatus.Failed;
        }
    }

    /// <summary>How many evaluations the loop has run by the end of `step` (one every eval_interval steps).</summary>
    private long EvaluationsDue(long step) =>
        _config.Training.EvalInterval > 0 && _config.Training.EvalEpisodes > 0 ? step / _config.Training.EvalInterval : 0;

    private RunCounters Counters => new(_step, _updates, _episodes, _updateTicks);

    private void StartFresh()
    {
        _runLog = RunLog.Create(_runFolder, _config, _seed, _blas, _progressColumns);
        BeginEpisode();
    }

    private void BeginEpisode()
    {
        int seed = Seeds.TrainEpisode(_seed, _episodes);
        _episode.Begin(seed);
        _env.Reset(seed).CopyTo(_observation);
        _learner.BeginEpisode();
    }

    private void Finish(string status, string? failure)
    {
        _runLog.Finish(status, failure, Counters);
        _progress.State = status;
        PublishProgress(_epsilon.At(_step));
    }

    // ---- evaluation and logging ---------------------------------------------------------------

    /// <summary>One greedy evaluation, false when `stop` abandoned it (nothing logged or saved; the loop then checkpoints
    /// and a resumed run evaluates this step again: evaluations draw no random numbers, so it is the same one).</summary>
    private bool Evaluate(CancellationToken stop)
    {
        _progress.State = "evaluating";
        var result = GreedyEvaluation.Run(_evalEnv, _learner.EvaluationPolicy, _evalObservation, _seed, _evaluations, _config.Training.EvalEpisodes, stop);
        _progress.State = "training";
        if (result is not { } evaluation) return false;
        _evaluations++;
        _progress.Evaluations = _evaluations;
        bool best = _runLog.Evaluated(Counters, evaluation);
        _progress.LastEvalReturn = evaluation.ReturnMean;
        if (!best) return true;
        _progress.BestEvalReturn = evaluation.ReturnMean;
        SaveModel(ModelKind.Best);
        return true;
    }

    /// <summary>best_model.bin at each new best evaluation (SB3's EvalCallback), final_model.bin at the end.</summary>
    private void SaveModel(ModelKind kind) => _runLog.SaveModel(kind, _learner.SaveModel, _learner.DescribeNetwork(), _step);

    /// <summary>A progress.csv row (RunFolder.ProgressColumns): the counters, the interval's statistics, the learner's
    /// columns, the run log's tail, the learner's trailing columns. Then the next interval starts.</summary>
    private void WriteProgressRow(double epsilon)
    {
        _learner.CheckWeights();
        Span<double> row = _progressRow;
        int c = 0;
        row[c++] = _step;
        row[c++] = _updates;
        row[c++] = _episodes;
        row[c++] = epsilon;
        c += _interval.WriteColumns(row[c..]);
        _learner.WriteColumns(row.Slice(c, _learner.Columns.Count), _interval);
        c = _runLog.WriteProgressTail(row, c + _learner.Columns.Count, _step);
        _learner.WriteTrailingColumns(row[c..], _step);
        _runLog.Progress(row);
        _progress.Loss = _interval.MeanLoss;
        _interval.Reset();
    }

    private void PublishProgress(double epsilon)
    {
        _progress.Steps = _step;
        _progress.Episodes = _episodes;
        _progress.Updates = _updates;
        _progress.Epsilon = epsilon;
        _progress.Last100Return = _runLog.Last100Mean;
        _progress.StepsPerSecond = _runLog.SessionStepsPerSecond(_step);
    }

    // ---- checkpoint ---------------------------------------------------------------------------

    private void SaveCheckpoint() => Checkpoint.Save(_runFolder, _config, _seed, SaveState);

    /// <summary>The checkpoint's body (format 3): counters, the running episode, the clock, the last finite gradient
    /// norm, the run log's part, the interval's sums, the generator, the learner.</summary>
    private void SaveState(BinaryWriter writer)
    {
        writer.Write(_step);
        writer.Write(_updates);
        writer.Write(_episodes);
        writer.Write(_evaluations);
        _episode.Save(writer, _env.CurrentReturn);
        writer.Write(_runLog.ElapsedSeconds);
        writer.Write(_lastFiniteGradNorm);
        _runLog.Save(writer);
        _interval.Save(writer);
        _rng.Save(writer);
        _learner.Save(writer);
    }

    /// <summary>Continues from checkpoint.bin: the state as <see cref="SaveState"/> wrote it, the logs cut back to it,
    /// the interrupted episode replayed on the environment.</summary>
    private void Resume()
    {
        double episodeReturn = 0, elapsedSeconds = 0;
        RunLog.Saved? logState = null;
        Checkpoint.Restore(_runFolder, _config, _seed, (reader, path) =>
        {
            _step = reader.ReadInt64();
            _updates = reader.ReadInt64();
            _episodes = reader.ReadInt64();
            _evaluations = reader.ReadInt64();
            if (_step < 0 || _step > _config.Training.TotalSteps || _updates < 0 || _episodes < 0 || _evaluations < 0)
                throw new InvalidDataException($"{path}: counters out of range (step {_step}, updates {_updates}, episodes {_episodes}).");
            episodeReturn = _episode.Load(reader, path, _step);
            elapsedSeconds = reader.ReadDouble();
            _lastFiniteGradNorm = reader.ReadDouble();
            logState = RunLog.Load(reader);
            _interval.Load(reader);
            _rng.Load(reader);
            _learner.Load(reader, path);
        },
        path =>
        {
            _runLog = RunLog.Reopen(_runFolder, _config, _seed, _blas, _progressColumns, logState!, Counters, elapsedSeconds);
            _progress.BestEvalReturn = _runLog.BestEvaluation?.ReturnMean ?? double.NaN;
            _episode.Replay(_env, _observation, episodeReturn, path);
        });
        _log($"seed {_seed}: resumed at step {_step:N0} ({_episodes:N0} episodes, {_updates:N0} updates)");
    }

    public void Dispose() => _runLog?.Dispose();
}

public enum RunStatus
{
    Completed,
    Interrupted,
    Failed,
}
