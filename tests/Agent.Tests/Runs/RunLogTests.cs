using DqnStudy.Agent.Compare;
using DqnStudy.Agent.Runs;
using DqnStudy.Agent.Tests.EndToEnd;
using DqnStudy.Nn.Blas;

namespace DqnStudy.Agent.Tests.Runs;

/// <summary>
/// The run log without a trainer: what it writes, compare reads back under <see cref="RunFolder"/>'s names, and a log
/// reopened from a checkpoint's record continues from there, dropping what was written after it.
/// </summary>
public sealed class RunLogTests
{
    private static readonly string[] LearnerColumns = ["grad_norm_fc1"];
    private static readonly IReadOnlyList<string> Columns = RunFolder.ProgressColumns(LearnerColumns, []);

    [Fact]
    public void WhatTheRunLogWritesCompareReadsBack()
    {
        using var run = new TinyRun();
        string folder = run.SeedFolder("log");
        using (var log = RunLog.Create(folder, run.Load(), 7, new ManagedBlas(), Columns))
        {
            log.StartClock(0);
            log.Episode(10, 10.0, 10);
            log.Episode(25, 15.5, 15);
            WriteRow(log, step: 100, loss: 0.25);
            Assert.True(log.Evaluated(new RunCounters(100, 3, 2, 0), new EvaluationResult(12, 1, 11, 13, 12, 2)));
            Assert.False(log.Evaluated(new RunCounters(200, 5, 2, 0), new EvaluationResult(11, 0, 11, 11, 11, 2)));
            log.Finish("completed", null, new RunCounters(200, 5, 2, 0));
        }

        var seed = SeedRun.Load(folder, fallbackSeed: 0);
        Assert.Equal(7, seed.Seed);                       // summary.json's, not the folder name's 0
        Assert.Equal("CartPole-v1", seed.EnvId);
        Assert.Equal("completed", seed.Summary!.Status);
        var (ends, returns) = seed.Episodes()!.Value;
        Assert.Equal([10.0, 25.0], ends);
        Assert.Equal([10.0, 15.5], returns);
        Assert.Equal([100.0], seed.Progress!.Column(RunFolder.Steps));
        Assert.Equal([0.25], seed.Progress.Column(RunFolder.Loss));
        Assert.Equal([12.75], seed.Progress.Column(RunFolder.ProgressTail[0]));   // the mean of the two returns
        Assert.Equal([12.0, 11.0], seed.Eval!.Column(RunFolder.EvalReturnMean));
        Assert.Equal([100.0, 200.0], seed.Eval.Column(RunFolder.Steps));

        var summary = RunSummary.TryRead(folder)!;
        Assert.Equal((12.0, 100L), (summary.BestEvalReturnMean, summary.BestEvalStep));
        Assert.Equal((11.0, 200L), (summary.FinalEvalReturnMean, summary.FinalEvalStep));
        Assert.Equal((200L, 5L, 2L), (summary.StepsDone, summary.Updates, summary.Episodes));
    }

    [Fact]
    public void AReopenedLogCutsWhatWasWrittenAfterTheCheckpointAndKeepsItsBest()
    {
        using var run = new TinyRun();
        var config = run.Load();
        string folder = run.SeedFolder("reopen");
        var saved = new MemoryStream();
        using (var log = RunLog.Create(folder, config, 0, new ManagedBlas(), Columns))
        {
            log.StartClock(0);
            log.Episode(10, 10.0, 10);
            WriteRow(log, step: 100, loss: 0.5);
            log.Evaluated(new RunCounters(100, 3, 1, 0), new EvaluationResult(20, 0, 20, 20, 20, 2));
            using (var writer = new BinaryWriter(saved, System.Text.Encoding.UTF8, leaveOpen: true)) log.Save(writer);
            // Written after the checkpoint by a run that was then killed: a resume must drop these.
            log.Episode(30, 99.0, 20);
            WriteRow(log, step: 200, loss: 9.0);
            log.Evaluated(new RunCounters(200, 7, 2, 0), new EvaluationResult(50, 0, 50, 50, 50, 2));
        }

        saved.Position = 0;
        using (var reader = new BinaryReader(saved))
        using (var log = RunLog.Reopen(folder, config, 0, new ManagedBlas(), Columns, RunLog.Load(reader), new RunCounters(100, 3, 1, 0), elapsedSeconds: 5))
        {
            Assert.Equal(20, log.LastEvaluation!.Value.ReturnMean);
            Assert.Equal(20, log.BestEvaluation!.Value.ReturnMean);   // the 50 came after the checkpoint
            Assert.Equal(10.0, log.Last100Mean);
            Assert.True(log.ElapsedSeconds >= 5);
            log.StartClock(100);
            log.Episode(40, 12.0, 30);
        }

        var seed = SeedRun.Load(folder, fallbackSeed: 0);
        Assert.Equal([10.0, 12.0], seed.Episodes()!.Value.Returns);
        Assert.Equal([100.0], seed.Progress!.Column(RunFolder.Steps));
        Assert.Equal([20.0], seed.Eval!.Column(RunFolder.EvalReturnMean));
        Assert.Equal(100L, RunSummary.TryRead(folder)!.ResumedFromStep);
    }

    [Fact]
    public void AProgressRowOfTheWrongWidthIsRefused()
    {
        using var run = new TinyRun();
        using var log = RunLog.Create(run.SeedFolder("width"), run.Load(), 0, new ManagedBlas(), Columns);
        Assert.Throws<ArgumentException>(() => log.Progress(new double[Columns.Count - 1]));
    }

    /// <summary>A progress row with `loss` in its loss column and NaN elsewhere (empty cells), the tail from the log.</summary>
    private static void WriteRow(RunLog log, long step, double loss)
    {
        var row = new double[Columns.Count];
        Array.Fill(row, double.NaN);
        row[0] = step;
        row[RunFolder.ProgressHead.ToList().IndexOf(RunFolder.Loss)] = loss;
        log.WriteProgressTail(row, RunFolder.ProgressHead.Count + LearnerColumns.Length, step);
        log.Progress(row);
    }
}
