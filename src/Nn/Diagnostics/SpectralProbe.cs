using MathNet.Numerics.LinearAlgebra;

namespace DqnStudy.Nn.Diagnostics;

/// <summary>
/// Spectral instruments for a recurrent weight matrix (row-major float). BPTT multiplies the gradient by
/// W_hh once per step, so its norm grows or shrinks about like SpectralRadius^T; SpectralNorm bounds the
/// per-step gain from above. Computed in double by Math.NET: these allocate and belong to log intervals,
/// never to the training step.
/// </summary>
public static class SpectralProbe
{
    /// <summary>max |eigenvalue| of a square (n, n) row-major matrix.</summary>
    public static double SpectralRadius(ReadOnlySpan<float> squareMatrix, int n)
    {
        Matrix<double> m = ToMatrix(squareMatrix, n, n, nameof(squareMatrix));
        double radius = 0;
        foreach (System.Numerics.Complex lambda in m.Evd(Symmetricity.Asymmetric).EigenValues)
        {
            radius = Math.Max(radius, lambda.Magnitude);
        }
        return radius;
    }

    /// <summary>Largest singular value of a (rows, cols) row-major matrix (the operator 2-norm).</summary>
    public static double SpectralNorm(ReadOnlySpan<float> matrix, int rows, int cols)
    {
        Matrix<double> m = ToMatrix(matrix, rows, cols, nameof(matrix));
        return m.Svd(computeVectors: false).S[0];
    }

    /// <summary>Rescales the matrix in place so its spectral radius becomes targetRadius (the essay's experiment).</summary>
    public static void ScaleToSpectralRadius(Span<float> squareMatrix, int n, double targetRadius)
    {
        if (!(targetRadius >= 0) || double.IsInfinity(targetRadius))
        {
            throw new ArgumentOutOfRangeException(nameof(targetRadius), targetRadius, "targetRadius must be finite and non-negative.");
        }
        double radius = SpectralRadius(squareMatrix, n);
        if (radius == 0)
        {
            throw new ArgumentException("squareMatrix has spectral radius 0 (nilpotent or zero): no scaling reaches a positive radius.",
                                        nameof(squareMatrix));
        }
        float factor = (float)(targetRadius / radius);
        Span<float> m = squareMatrix[..(n * n)];
        for (int i = 0; i < m.Length; i++)
        {
            m[i] *= factor;
        }
    }

    private static Matrix<double> ToMatrix(ReadOnlySpan<float> data, int rows, int cols, string name)
    {
        Shapes.RequirePositive(rows, nameof(rows));
        Shapes.RequirePositive(cols, nameof(cols));
        Shapes.RequireExact(data.Length, rows * cols, name);
        Matrix<double> m = Matrix<double>.Build.Dense(rows, cols);
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
            {
                m[r, c] = data[r * cols + c];
            }
        }
        return m;
    }
}
