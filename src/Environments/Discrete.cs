namespace DqnStudy.Environments;

/// <summary>Gymnasium's <c>Discrete(n, start)</c>: the integers start .. start + n - 1.</summary>
public sealed class Discrete
{
    public Discrete(int n, int start = 0)
    {
        if (n <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(n), n, $"n must be positive but is {n}.");
        }

        N = n;
        Start = start;
    }

    public int N { get; }

    public int Start { get; }

    public bool Contains(int action) => (uint)(action - Start) < (uint)N;

    /// <summary>Uniform over the space, drawn from the caller's generator.</summary>
    public int Sample(Random rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        return Start + rng.Next(N);
    }

    public override string ToString() => Start == 0 ? $"Discrete({N})" : $"Discrete({N}, start={Start})";
}
