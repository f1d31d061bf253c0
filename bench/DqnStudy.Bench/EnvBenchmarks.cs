using BenchmarkDotNet.Attributes;
using DqnStudy.Environments;

namespace DqnStudy.Bench;

/// <summary>Cost of one environment step, bare and inside Make's TimeLimit; one operation = one Step
/// (plus an unseeded Reset when an episode ends). Gymnasium's CartPole-v1 step from Python is ~11 µs.</summary>
[MemoryDiagnoser]
public class EnvBenchmarks
{
    private const int StepsPerInvoke = 1000;

    private IEnvironment _env = null!;

    [Params("CartPole-v1", "MountainCar-v0", "Acrobot-v1")]
    public string Id { get; set; } = "CartPole-v1";

    [Params(false, true)]
    public bool Wrapped { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        IEnvironment made = EnvironmentRegistry.Make(Id);
        _env = Wrapped ? made : made.Unwrapped;
        _env.Reset(0);
    }

    [Benchmark(OperationsPerInvoke = StepsPerInvoke)]
    public double Step()
    {
        double sum = 0;
        int actions = _env.ActionSpace.N;
        for (int i = 0; i < StepsPerInvoke; i++)
        {
            StepResult r = _env.Step(i % actions);
            sum += r.Reward;
            if (r.Terminated || r.Truncated)
            {
                _env.Reset();
            }
        }

        return sum;
    }
}
