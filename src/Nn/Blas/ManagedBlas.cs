namespace DqnStudy.Nn.Blas;

/// <summary>Always-available provider and the oracle for the others. (Naive loops for now.)</summary>
public sealed class ManagedBlas : IBlas
{
    public string Name => "managed";

    public string Describe() => "managed (naive loops)";

    public void Gemm(Trans transA, Trans transB, int m, int n, int k, float alpha,
                     ReadOnlySpan<float> a, ReadOnlySpan<float> b, float beta, Span<float> c)
    {
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                float sum = 0f;
                for (int p = 0; p < k; p++)
                {
                    float av = transA == Trans.No ? a[i * k + p] : a[p * m + i];
                    float bv = transB == Trans.No ? b[p * n + j] : b[j * k + p];
                    sum += av * bv;
                }
                c[i * n + j] = beta == 0f ? alpha * sum : alpha * sum + beta * c[i * n + j];
            }
        }
    }

    public void Gemv(Trans trans, int m, int n, float alpha,
                     ReadOnlySpan<float> a, ReadOnlySpan<float> x, float beta, Span<float> y)
    {
        int rows = trans == Trans.No ? m : n;
        int cols = trans == Trans.No ? n : m;
        for (int i = 0; i < rows; i++)
        {
            float sum = 0f;
            for (int j = 0; j < cols; j++)
            {
                sum += (trans == Trans.No ? a[i * n + j] : a[j * n + i]) * x[j];
            }
            y[i] = beta == 0f ? alpha * sum : alpha * sum + beta * y[i];
        }
    }

    public void Axpy(float alpha, ReadOnlySpan<float> x, Span<float> y)
    {
        for (int i = 0; i < x.Length; i++) y[i] += alpha * x[i];
    }

    public float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        float sum = 0f;
        for (int i = 0; i < x.Length; i++) sum += x[i] * y[i];
        return sum;
    }
}
