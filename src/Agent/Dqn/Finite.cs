using System.Numerics.Tensors;

namespace DqnStudy.Agent.Dqn;

/// <summary>The NaN/infinity probe both trainers use to name where a numerical fault appeared.</summary>
public static class Finite
{
    /// <summary>True when every value is finite. One vectorised sum answers almost always; only a sum that is not
    /// finite is checked element by element (a finite set can overflow its sum to infinity).</summary>
    public static bool All(ReadOnlySpan<float> values) => float.IsFinite(TensorPrimitives.Sum(values)) || AllSlow(values);

    /// <summary>A checkpoint's weights must be finite: a NaN loaded from disk would fail the seed later, far from its
    /// cause, or train on garbage. Throws InvalidDataException (the checkpoint reader names the file).</summary>
    public static void RequireWeights(ReadOnlySpan<float> weights, string network)
    {
        if (!All(weights))
            throw new InvalidDataException($"the {network} network's weights hold NaN or infinity; a checkpoint never stores non-finite weights (a seed stops before saving them), so the file was damaged.");
    }

    private static bool AllSlow(ReadOnlySpan<float> values)
    {
        foreach (float v in values)
        {
            if (!float.IsFinite(v)) return false;
        }
        return true;
    }
}
