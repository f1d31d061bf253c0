using DqnStudy.Agent.Dqn;
using DqnStudy.Nn.Blas;

namespace DqnStudy.Agent.Tests.EndToEnd;

/// <summary>Ctrl+C during a greedy evaluation stops the seed without waiting for the evaluation to end, and the resumed
/// run evaluates that step again: it ends exactly as an uninterrupted run.</summary>
public sealed class StopDuringEvaluationTests
{
    private static RunStatus Train(TinyRun run, string name, long totalSteps, bool resume, float[] weightsOut,
                                   long? stopInEvaluation = null)
    {
        var config = run.Load("training.eval_episodes=50", $"training.total_steps={totalSteps}");
        var progress = new TrainingProgress(0, totalSteps);
        using var stop = new CancellationTokenSource();
        // The stop fires on the trainer's own thread, from inside evaluation k's first forward pass (k evaluations
        // done, state "evaluating"): where a Ctrl+C lands, with no race against a timer.
        var blas = new StoppingBlas(() => stopInEvaluation is { } k && progress.State == "evaluating" && progress.Evaluations == k, stop);
        using var trainer = new DqnTrainer(config, 0, run.SeedFolder(name), blas, progress);
        var status = trainer.Run(stop.Token, resume);
        ((MlpLearner)trainer.Learner).OnlineNetwork.Parameters.Values.CopyTo(weightsOut);
        Assert.Equal(stopInEvaluation is not null, stop.IsCancellationRequested);
        return status;
    }

    [Theory]
    [InlineData(600, 0)]   // the evaluation at step 300, inside the loop
    [InlineData(600, 1)]   // the one at step 600, the loop's last step
    [InlineData(650, 2)]   // the closing evaluation after the loop (650 is no multiple of the interval)
    public void AStopInsideAnEvaluationAbandonsItAndTheResumedRunEqualsAnUninterruptedOne(long totalSteps, long evaluation)
    {
        using var run = new TinyRun();
        var straight = new float[run.LoadParameterCount()];
        var resumed = new float[straight.Length];
        Assert.Equal(RunStatus.Completed, Train(run, "straight", totalSteps, resume: false, straight));

        Assert.Equal(RunStatus.Interrupted, Train(run, "resumed", totalSteps, resume: false, resumed, stopInEvaluation: evaluation));
        string folder = run.SeedFolder("resumed");
        // The abandoned evaluation left no row: only the ones before it.
        Assert.Equal((int)evaluation, File.ReadAllLines(Path.Combine(folder, "eval.csv")).Length - 1);
        Assert.False(File.Exists(Path.Combine(folder, "final_model.bin")));

        Assert.Equal(RunStatus.Completed, Train(run, "resumed", totalSteps, resume: true, resumed));
        Assert.Equal(straight, resumed);
        Assert.Equal(File.ReadAllLines(Path.Combine(run.SeedFolder("straight"), "eval.csv")), File.ReadAllLines(Path.Combine(folder, "eval.csv")));
        Assert.Equal(TinyRun.DeterministicProgress(run.SeedFolder("straight")), TinyRun.DeterministicProgress(folder));
        Assert.Equal(TinyRun.MonitorReturnsAndLengths(run.SeedFolder("straight")), TinyRun.MonitorReturnsAndLengths(folder));
        Assert.Equal(File.ReadAllBytes(Path.Combine(run.SeedFolder("straight"), "final_model.bin")), File.ReadAllBytes(Path.Combine(folder, "final_model.bin")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(run.SeedFolder("straight"), "best_model.bin")), File.ReadAllBytes(Path.Combine(folder, "best_model.bin")));
    }

    /// <summary>The managed BLAS, cancelling `stop` from the first call made while `when` holds.</summary>
    private sealed class StoppingBlas(Func<bool> when, CancellationTokenSource stop) : ManagedBlasDecorator
    {
        private void Check()
        {
            if (!stop.IsCancellationRequested && when()) stop.Cancel();
        }

        public override void Gemm(Trans transA, Trans transB, int m, int n, int k, float alpha,
                                  ReadOnlySpan<float> a, ReadOnlySpan<float> b, float beta, Span<float> c)
        {
            Check();
            base.Gemm(transA, transB, m, n, k, alpha, a, b, beta, c);
        }

        public override void GemmBias(Trans transA, Trans transB, int m, int n, int k,
                                      ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> bias, Span<float> c)
        {
            Check();
            base.GemmBias(transA, transB, m, n, k, a, b, bias, c);
        }

        public override void Gemv(Trans trans, int m, int n, float alpha, ReadOnlySpan<float> a, ReadOnlySpan<float> x, float beta, Span<float> y)
        {
            Check();
            base.Gemv(trans, m, n, alpha, a, x, beta, y);
        }
    }
}
