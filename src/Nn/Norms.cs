using System.Numerics.Tensors;

namespace DqnStudy.Nn;

/// <summary>
/// The one home of Σx² and √Σx² over a span: gradient clipping, the learners' grad_norm columns, the probes and the
/// recurrent cells' ||dL/dh|| all call these. Two accumulations, each kept where its numbers are published:
/// <see cref="SumOfSquares"/> (double, element by element in order) is what clipping and the recurrent paths use, and
/// exploding RNN gradients (1e8 and beyond) neither overflow it nor lose its small terms; <see cref="SumOfSquaresSimd"/>
/// (float, TensorPrimitives' vector order) is what the MLP learner's per-layer grad_norm columns and DenseProbe have
/// always logged. Moving one to the other would change logged numbers in their last bits, so both stay, here.
/// </summary>
public static class Norms
{
    /// <summary>Σ x², each term (double)x·x added in index order to a double.</summary>
    public static double SumOfSquares(ReadOnlySpan<float> x)
    {
        double sum = 0;
        foreach (float v in x)
        {
            sum += (double)v * v;
        }
        return sum;
    }

    /// <summary>√Σ x² from <see cref="SumOfSquares"/>, rounded to float once at the end.</summary>
    public static float L2(ReadOnlySpan<float> x) => (float)Math.Sqrt(SumOfSquares(x));

    /// <summary>√Σ x² of a float64 vector (the studies' reference computations), summed in index order.</summary>
    public static double L2(ReadOnlySpan<double> x)
    {
        double sum = 0;
        foreach (double v in x)
        {
            sum += v * v;
        }
        return Math.Sqrt(sum);
    }

    /// <summary>Σ x² in float with TensorPrimitives (SIMD order; overflows to +∞ past about 1.8e19 per element).</summary>
    public static float SumOfSquaresSimd(ReadOnlySpan<float> x) => TensorPrimitives.SumOfSquares(x);
}
