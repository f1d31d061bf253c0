using System.Numerics.Tensors;

namespace DqnStudy.Agent.Dqn;

/// <summary>The NaN/infinity probe both trainers use to name where a numerical fault appeared.</summary>
public static class Finite
{
    /// <summary>True when every value is finite. One vectorised sum answers almost always; only a sum that is not
    /// finite is checked element by element (a finite set can overflow its sum to infinity).</summary>
    public static bool All(ReadOnlySpan<float> values) => float.IsFinite(TensorPrimitives.Sum(values)) || AllSlow(values);

    private static bool AllSlow(ReadOnlySpan<float> values)
    {
        foreach (float v in values)
        {
            if (!float.IsFinite(v)) return false;
        }
        return true;
    }
}
