using BenchmarkDotNet.Attributes;
using DqnStudy.Environments;
using DqnStudy.Environments.MinAtar;

namespace DqnStudy.Bench;

/// <summary>One MinAtar step (act + the (C, 10, 10) observation), random actions, sticky 0.1, reset on terminal.
/// MinAtar's Python step is measured beside these by <c>--minatar PACKAGE_DIR</c> (see README).</summary>
[MemoryDiagnoser]
public class MinAtarBenchmarks
{
    private const int StepsPerInvoke = 1000;

    private IEnvironment _env = null!;
    private int[] _actions = null!;

    [Params("MinAtar/Asterix-v0", "MinAtar/Breakout-v0", "MinAtar/Freeway-v0", "MinAtar/Seaquest-v0", "MinAtar/SpaceInvaders-v0")]
    public string Id { get; set; } = "MinAtar/Breakout-v0";

    [GlobalSetup]
    public void Setup()
    {
        _env = EnvironmentRegistry.Make(Id);
        _env.Reset(0);
        var policy = new Random(1);
        _actions = Enumerable.Range(0, StepsPerInvoke).Select(_ => policy.Next(6)).ToArray();
    }

    [Benchmark(OperationsPerInvoke = StepsPerInvoke)]
    public double Step()
    {
        double sum = 0;
        foreach (int action in _actions)
        {
            StepResult r = _env.Step(action);
            sum += r.Reward;
            if (r.Done)
            {
                _env.Reset();
            }
        }

        return sum;
    }
}
