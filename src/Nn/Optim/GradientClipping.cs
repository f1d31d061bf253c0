using System.Numerics.Tensors;

namespace DqnStudy.Nn.Optim;

/// <summary>Gradient clipping over a flat gradient span (all of a network's gradients at once).</summary>
public static class GradientClipping
{
    /// <summary>√(Σ g²), accumulated in double so that exploding RNN gradients (1e8 and beyond) neither
    /// overflow float nor lose the small terms.</summary>
    public static float GlobalNorm(ReadOnlySpan<float> gradients)
    {
        double sum = 0;
        foreach (float g in gradients)
        {
            sum += (double)g * g;
        }
        return (float)Math.Sqrt(sum);
    }

    /// <summary>torch.nn.utils.clip_grad_norm_ (norm 2): scales every gradient by min(1, maxNorm/(norm + 1e-6))
    /// and returns the norm before clipping.</summary>
    public static float ClipGlobalNorm(Span<float> gradients, float maxNorm)
    {
        if (!(maxNorm > 0f))
        {
            throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "maxNorm must be positive.");
        }
        double sum = 0;
        foreach (float g in gradients)
        {
            sum += (double)g * g;
        }
        double norm = Math.Sqrt(sum);
        double coefficient = maxNorm / (norm + 1e-6);
        if (coefficient < 1.0)
        {
            TensorPrimitives.Multiply(gradients, (float)coefficient, gradients);
        }
        return (float)norm;
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
