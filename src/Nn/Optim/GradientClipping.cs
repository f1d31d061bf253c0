using System.Numerics.Tensors;

namespace DqnStudy.Nn.Optim;

/// <summary>Gradient clipping over a flat gradient span (all of a network's gradients at once).</summary>
public static class GradientClipping
{
    /// <summary>√(Σ g²), accumulated in double (<see cref="Norms.L2"/>).</summary>
    public static float GlobalNorm(ReadOnlySpan<float> gradients) => Norms.L2(gradients);

    /// <summary>torch.nn.utils.clip_grad_norm_ (norm 2): scales every gradient by min(1, maxNorm/(norm + 1e-6))
    /// and returns the norm before clipping.</summary>
    public static float ClipGlobalNorm(Span<float> gradients, float maxNorm)
    {
        if (!(maxNorm > 0f))
        {
            throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "maxNorm must be positive.");
        }
        double norm = Math.Sqrt(Norms.SumOfSquares(gradients));
        ScaleToMaxNorm(gradients, norm, maxNorm);
        return (float)norm;
    }

    /// <summary>The scaling step of <see cref="ClipGlobalNorm"/> for a norm measured elsewhere (over several blocks at
    /// once): gradients *= maxNorm/(norm + 1e-6) when that is below 1. Call it on every block with the same norm.</summary>
    public static void ScaleToMaxNorm(Span<float> gradients, double norm, double maxNorm)
    {
        double coefficient = maxNorm / (norm + 1e-6);
        if (coefficient < 1.0)
        {
            TensorPrimitives.Multiply(gradients, (float)coefficient, gradients);
        }
    }

    /// <summary>Clamps every gradient to [−clip, clip] (torch clip_grad_value_).</summary>
    public static void ClipByValue(Span<float> gradients, float clip)
    {
        if (!(clip >= 0f))
        {
            throw new ArgumentOutOfRangeException(nameof(clip), clip, "clip must be non-negative.");
        }
        TensorPrimitives.Clamp(gradients, -clip, clip, gradients);
    }
}
