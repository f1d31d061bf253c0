using DqnStudy.Nn.Blas;

namespace DqnStudy.Nn.Tests.Blas;

/// <summary>Textbook double-precision BLAS, written straight from the definitions, plus the bound on float
/// rounding each result may carry: |c - exact| ≤ tol·(Σ|terms|) where the sum has at most k + 1 terms.</summary>
internal static class Oracle
{
    public static (double[] Value, double[] Magnitude) Gemm(Trans transA, Trans transB, int m, int n, int k, float alpha,
                                                            float[] a, float[] b, float beta, float[] c)
    {
        var value = new double[m * n];
        var magnitude = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0, abs = 0;
                for (int p = 0; p < k; p++)
                {
                    double av = transA == Trans.No ? a[i * k + p] : a[p * m + i];
                    double bv = transB == Trans.No ? b[p * n + j] : b[j * k + p];
                    sum += av * bv;
                    abs += Math.Abs(av * bv);
                }
                double old = beta == 0f ? 0 : (double)beta * c[i * n + j];
                value[i * n + j] = alpha * sum + old;
                magnitude[i * n + j] = Math.Abs(alpha) * abs + Math.Abs(old);
            }
        }
        return (value, magnitude);
    }

    public static (double[] Value, double[] Magnitude) Gemv(Trans trans, int m, int n, float alpha,
                                                            float[] a, float[] x, float beta, float[] y)
    {
        int rows = trans == Trans.No ? m : n, cols = trans == Trans.No ? n : m;
        var value = new double[rows];
        var magnitude = new double[rows];
        for (int i = 0; i < rows; i++)
        {
            double sum = 0, abs = 0;
            for (int j = 0; j < cols; j++)
            {
                double av = trans == Trans.No ? a[i * n + j] : a[j * n + i];
                sum += av * x[j];
                abs += Math.Abs(av * x[j]);
            }
            double old = beta == 0f ? 0 : (double)beta * y[i];
            value[i] = alpha * sum + old;
            magnitude[i] = Math.Abs(alpha) * abs + Math.Abs(old);
        }
        return (value, magnitude);
    }

    /// <summary>Asserts every element is within float rounding of the exact value; names the first that is not.</summary>
    public static void AssertClose(ReadOnlySpan<float> actual, double[] value, double[] magnitude, int terms, string what)
    {
        // Each term and partial sum rounds at most once more per level; 2·(terms + 2)·eps is a safe worst case.
        double relative = 2.0 * (terms + 2) * 6e-8;
        for (int i = 0; i < value.Length; i++)
        {
            double error = Math.Abs(actual[i] - value[i]);
            double allowed = relative * magnitude[i] + 1e-30;
            if (!(error <= allowed))
            {
                Assert.Fail($"{what}: element {i} is {actual[i]:R}, expected {value[i]:R} (error {error:E2} > {allowed:E2})");
            }
        }
    }

    public static float[] Random(Random random, int length)
    {
        var data = new float[length];
        for (int i = 0; i < length; i++) data[i] = (float)(random.NextDouble() * 2 - 1);
        return data;
    }
}
