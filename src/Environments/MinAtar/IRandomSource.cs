namespace DqnStudy.Environments.MinAtar;

/// <summary>The calls MinAtar makes on numpy's legacy <c>RandomState</c>, in normalised form
/// (<c>randint(n)</c> is <c>RandInt(0, n)</c>; high is exclusive). <see cref="NumpyRandomState"/> is the
/// default; tests inject a scripted source that serves recorded results and checks each call's arguments.</summary>
public interface IRandomSource
{
    /// <summary><c>RandomState.seed(seed)</c>: restarts the stream (numpy accepts 0 .. 2^32 - 1).</summary>
    void Seed(uint seed);

    /// <summary><c>rand()</c>: one double in [0, 1).</summary>
    double Rand();

    /// <summary><c>rand(n)</c> with n = destination.Length: n successive doubles.</summary>
    void Rand(Span<double> destination);

    /// <summary><c>randint(low, high)</c>: one integer in [low, high).</summary>
    long RandInt(long low, long high);

    /// <summary><c>randint(low, high, size)</c> with size = destination.Length.</summary>
    void RandInt(long low, long high, Span<long> destination);
}
