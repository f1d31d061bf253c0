using System.Runtime.Intrinsics;

namespace DqnStudy.Nn.Blas;

/// <summary>Shapes the tiles would waste: one row (a greedy action), a handful of columns (the Q-head), k ≤ 4 (layer 1).</summary>
internal static unsafe partial class ManagedGemm
{
    /// <summary>c(1,n) = alpha·a(1,k)·op(b) + beta·c. a is contiguous whatever transA says (a (1,k) row or a (k,1)
    /// column). transB = Yes: b is (n,k), each c[j] one contiguous dot; No: b is (k,n), c accumulates k scaled rows
    /// of b in order. The order depends only on the shape, so results stay deterministic.</summary>
    private static void SingleRow(Trans transB, int n, int k, float alpha, float* a, float* b, float beta, float* cIn, float* c)
    {
        if (transB == Trans.Yes)
        {
            RowTimesRowsT(n, k, alpha, a, b, beta, cIn, c);
            return;
        }
        for (int j = 0; j < n; j++) c[j] = beta == 0f ? 0f : beta * cIn[j];
        for (int p = 0; p < k; p++)
        {
            float scale = alpha * a[p];
            float* row = b + (nint)p * n;
            int j = 0;
            for (; j <= n - 8; j += 8)
            {
                Vector256.Store(Vector256.MultiplyAddEstimate(Vector256.Load(row + j), Vector256.Create(scale), Vector256.Load(c + j)), c + j);
            }
            for (; j < n; j++)
            {
                c[j] = MathF.FusedMultiplyAdd(row[j], scale, c[j]);
            }
        }
    }

    /// <summary>c(1,n) = alpha·x(1,k)·b(n,k)ᵀ + beta·c: four outputs at a time, each an 8-lane running sum over k
    /// folded by Vector256.Sum, then the scalar tail; a short k (the first layer's 4 inputs) is one scalar chain per
    /// output. Per-call overhead matters here: this is every greedy action's forward.</summary>
    private static void RowTimesRowsT(int n, int k, float alpha, float* x, float* b, float beta, float* cIn, float* c)
    {
        int j = 0;
        if (k >= 8)
        {
            for (; j <= n - 4; j += 4)
            {
                float* w0 = b + (nint)j * k, w1 = w0 + k, w2 = w1 + k, w3 = w2 + k;
                Vector256<float> s0 = Vector256<float>.Zero, s1 = s0, s2 = s0, s3 = s0;
                int p = 0;
                for (; p <= k - 8; p += 8)
                {
                    Vector256<float> v = Vector256.Load(x + p);
                    s0 = Vector256.MultiplyAddEstimate(v, Vector256.Load(w0 + p), s0);
                    s1 = Vector256.MultiplyAddEstimate(v, Vector256.Load(w1 + p), s1);
                    s2 = Vector256.MultiplyAddEstimate(v, Vector256.Load(w2 + p), s2);
                    s3 = Vector256.MultiplyAddEstimate(v, Vector256.Load(w3 + p), s3);
                }
                float d0 = Vector256.Sum(s0), d1 = Vector256.Sum(s1), d2 = Vector256.Sum(s2), d3 = Vector256.Sum(s3);
                for (; p < k; p++)
                {
                    d0 = MathF.FusedMultiplyAdd(x[p], w0[p], d0);
                    d1 = MathF.FusedMultiplyAdd(x[p], w1[p], d1);
                    d2 = MathF.FusedMultiplyAdd(x[p], w2[p], d2);
                    d3 = MathF.FusedMultiplyAdd(x[p], w3[p], d3);
                }
                c[j] = beta == 0f ? alpha * d0 : alpha * d0 + beta * cIn[j];
                c[j + 1] = beta == 0f ? alpha * d1 : alpha * d1 + beta * cIn[j + 1];
                c[j + 2] = beta == 0f ? alpha * d2 : alpha * d2 + beta * cIn[j + 2];
                c[j + 3] = beta == 0f ? alpha * d3 : alpha * d3 + beta * cIn[j + 3];
            }
        }
        for (; j < n; j++)
        {
            float* w = b + (nint)j * k;
            float sum = 0f;
            int p = 0;
            if (k >= 8)
            {
                // The same lanes-then-tail order as the 4-output loop above, so an output's value does not depend
                // on whether n was a multiple of 4.
                Vector256<float> s = Vector256<float>.Zero;
                for (; p <= k - 8; p += 8) s = Vector256.MultiplyAddEstimate(Vector256.Load(x + p), Vector256.Load(w + p), s);
                sum = Vector256.Sum(s);
            }
            for (; p < k; p++) sum = MathF.FusedMultiplyAdd(x[p], w[p], sum);
            c[j] = beta == 0f ? alpha * sum : alpha * sum + beta * cIn[j];
        }
    }

    /// <summary>C(m,n) = alpha·a(m,k)·b(n,k)ᵀ + beta·C for n ≤ 4: two rows of a at a time against every row of b,
    /// eight independent Vector256 sums (enough to hide FMA latency), then a fixed-order fold and scalar tail.
    /// Missing rows/columns repeat the last valid one (in range; results discarded).</summary>
    private static void RowDots(int m, int n, int k, float alpha, float* a, float* b, float beta, float* cIn, nint rsIn, float* c)
    {
        float* b0 = b;
        float* b1 = b + Math.Min(1, n - 1) * k;
        float* b2 = b + Math.Min(2, n - 1) * k;
        float* b3 = b + Math.Min(3, n - 1) * k;
        float* sums = stackalloc float[8];
        for (int i = 0; i < m; i += 2)
        {
            float* x0 = a + i * k;
            float* x1 = a + Math.Min(i + 1, m - 1) * k;
            Vector256<float> s00 = Vector256<float>.Zero, s01 = s00, s02 = s00, s03 = s00;
            Vector256<float> s10 = s00, s11 = s00, s12 = s00, s13 = s00;
            int p = 0;
            for (; p <= k - 8; p += 8)
            {
                Vector256<float> w0 = Vector256.Load(b0 + p), w1 = Vector256.Load(b1 + p);
                Vector256<float> w2 = Vector256.Load(b2 + p), w3 = Vector256.Load(b3 + p);
                Vector256<float> v = Vector256.Load(x0 + p);
                s00 = Vector256.MultiplyAddEstimate(v, w0, s00);
                s01 = Vector256.MultiplyAddEstimate(v, w1, s01);
                s02 = Vector256.MultiplyAddEstimate(v, w2, s02);
                s03 = Vector256.MultiplyAddEstimate(v, w3, s03);
                v = Vector256.Load(x1 + p);
                s10 = Vector256.MultiplyAddEstimate(v, w0, s10);
                s11 = Vector256.MultiplyAddEstimate(v, w1, s11);
                s12 = Vector256.MultiplyAddEstimate(v, w2, s12);
                s13 = Vector256.MultiplyAddEstimate(v, w3, s13);
            }
            sums[0] = Vector256.Sum(s00); sums[1] = Vector256.Sum(s01); sums[2] = Vector256.Sum(s02); sums[3] = Vector256.Sum(s03);
            sums[4] = Vector256.Sum(s10); sums[5] = Vector256.Sum(s11); sums[6] = Vector256.Sum(s12); sums[7] = Vector256.Sum(s13);
            for (; p < k; p++)
            {
                float u0 = x0[p], u1 = x1[p];
                sums[0] = MathF.FusedMultiplyAdd(u0, b0[p], sums[0]);
                sums[1] = MathF.FusedMultiplyAdd(u0, b1[p], sums[1]);
                sums[2] = MathF.FusedMultiplyAdd(u0, b2[p], sums[2]);
                sums[3] = MathF.FusedMultiplyAdd(u0, b3[p], sums[3]);
                sums[4] = MathF.FusedMultiplyAdd(u1, b0[p], sums[4]);
                sums[5] = MathF.FusedMultiplyAdd(u1, b1[p], sums[5]);
                sums[6] = MathF.FusedMultiplyAdd(u1, b2[p], sums[6]);
                sums[7] = MathF.FusedMultiplyAdd(u1, b3[p], sums[7]);
            }
            int rows = Math.Min(2, m - i);
            for (int r = 0; r < rows; r++)
            {
                for (int j = 0; j < n; j++)
                {
                    float value = alpha * sums[r * 4 + j];
                    c[(i + r) * n + j] = beta == 0f ? value : value + beta * cIn[(i + r) * rsIn + j];
                }
            }
        }
    }


    /// <summary>RowDots for n ≤ 2 (a Q-head of two actions): four rows of a against both rows of b, the same eight
    /// independent sums but none spent on a repeated column, and each output summed in exactly RowDots' order (lanes,
    /// fold, tail), so the values are RowDots' to the bit.</summary>
    private static void RowDots2(int m, int n, int k, float alpha, float* a, float* b, float beta, float* cIn, nint rsIn, float* c)
    {
        float* b0 = b;
        float* b1 = b + Math.Min(1, n - 1) * k;
        float* sums = stackalloc float[8];
        for (int i = 0; i < m; i += 4)
        {
            float* x0 = a + i * k;
            float* x1 = a + Math.Min(i + 1, m - 1) * k;
            float* x2 = a + Math.Min(i + 2, m - 1) * k;
            float* x3 = a + Math.Min(i + 3, m - 1) * k;
            Vector256<float> s00 = Vector256<float>.Zero, s01 = s00, s10 = s00, s11 = s00;
            Vector256<float> s20 = s00, s21 = s00, s30 = s00, s31 = s00;
            int p = 0;
            for (; p <= k - 8; p += 8)
            {
                Vector256<float> w0 = Vector256.Load(b0 + p), w1 = Vector256.Load(b1 + p);
                Vector256<float> v = Vector256.Load(x0 + p);
                s00 = Vector256.MultiplyAddEstimate(v, w0, s00);
                s01 = Vector256.MultiplyAddEstimate(v, w1, s01);
                v = Vector256.Load(x1 + p);
                s10 = Vector256.MultiplyAddEstimate(v, w0, s10);
                s11 = Vector256.MultiplyAddEstimate(v, w1, s11);
                v = Vector256.Load(x2 + p);
                s20 = Vector256.MultiplyAddEstimate(v, w0, s20);
                s21 = Vector256.MultiplyAddEstimate(v, w1, s21);
                v = Vector256.Load(x3 + p);
                s30 = Vector256.MultiplyAddEstimate(v, w0, s30);
                s31 = Vector256.MultiplyAddEstimate(v, w1, s31);
            }
            sums[0] = Vector256.Sum(s00); sums[1] = Vector256.Sum(s01); sums[2] = Vector256.Sum(s10); sums[3] = Vector256.Sum(s11);
            sums[4] = Vector256.Sum(s20); sums[5] = Vector256.Sum(s21); sums[6] = Vector256.Sum(s30); sums[7] = Vector256.Sum(s31);
            for (; p < k; p++)
            {
                float w0 = b0[p], w1 = b1[p];
                sums[0] = MathF.FusedMultiplyAdd(x0[p], w0, sums[0]);
                sums[1] = MathF.FusedMultiplyAdd(x0[p], w1, sums[1]);
                sums[2] = MathF.FusedMultiplyAdd(x1[p], w0, sums[2]);
                sums[3] = MathF.FusedMultiplyAdd(x1[p], w1, sums[3]);
                sums[4] = MathF.FusedMultiplyAdd(x2[p], w0, sums[4]);
                sums[5] = MathF.FusedMultiplyAdd(x2[p], w1, sums[5]);
                sums[6] = MathF.FusedMultiplyAdd(x3[p], w0, sums[6]);
                sums[7] = MathF.FusedMultiplyAdd(x3[p], w1, sums[7]);
            }
            int rows = Math.Min(4, m - i);
            for (int r = 0; r < rows; r++)
            {
                for (int j = 0; j < n; j++)
                {
                    float value = alpha * sums[r * 2 + j];
                    c[(i + r) * n + j] = beta == 0f ? value : value + beta * cIn[(i + r) * rsIn + j];
                }
            }
        }
    }

    /// <summary>k ≤ 4: each row of C is beta·C + alpha·Σp op(A)(i,p)·op(B)(p,:), a few fused axpys over a row of
    /// op(B) that is first gathered into a contiguous (k, n) block when B is stored transposed.</summary>
    private static void SmallInner(int m, int n, int k, float alpha, float* a, nint rsA, nint csA,
                                   float* b, nint rsB, nint csB, float beta, float* cIn, nint rsIn, float* c)
    {
        float* rows = b;
        if (csB != 1)
        {
            float* gathered = stackalloc float[SmallK * SmallKMaxGather];
            for (int p = 0; p < k; p++)
            {
                for (int j = 0; j < n; j++) gathered[p * n + j] = b[p * rsB + j * csB];
            }
            rows = gathered;
            rsB = n;
        }
        // Unused rows (k < 4) are never read: the switch picks the row function with exactly k terms.
        float* r0 = rows, r1 = rows + Math.Min(1, k - 1) * rsB, r2 = rows + Math.Min(2, k - 1) * rsB, r3 = rows + Math.Min(3, k - 1) * rsB;
        for (int i = 0; i < m; i++)
        {
            float* ai = a + i * rsA;
            float* ci = c + (nint)i * n;
            float* input = cIn + i * rsIn;
            float s0 = alpha * ai[0];
            float s1 = k > 1 ? alpha * ai[csA] : 0f, s2 = k > 2 ? alpha * ai[2 * csA] : 0f, s3 = k > 3 ? alpha * ai[3 * csA] : 0f;
            switch (k)
            {
                case 4: RowOf4(n, s0, s1, s2, s3, r0, r1, r2, r3, beta, input, ci); break;
                case 3: RowOf3(n, s0, s1, s2, r0, r1, r2, beta, input, ci); break;
                case 2: RowOf2(n, s0, s1, r0, r1, beta, input, ci); break;
                default: RowOf1(n, s0, r0, beta, input, ci); break;
            }
        }
    }

    // c = s0·r0 + s1·r1 + … (+ beta·c), left to right, the same order in the 512- and 256-bit bodies and the scalar tail,
    // so an element's value does not depend on which of them computed it.
    private static void RowOf4(int n, float s0, float s1, float s2, float s3, float* r0, float* r1, float* r2, float* r3, float beta, float* cIn, float* c)
    {
        int j = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> w0 = Vector512.Create(s0), w1 = Vector512.Create(s1), w2 = Vector512.Create(s2), w3 = Vector512.Create(s3);
            Vector512<float> wb = Vector512.Create(beta);
            for (; j <= n - 16; j += 16)
            {
                Vector512<float> sum = w0 * Vector512.Load(r0 + j);
                sum = Vector512.MultiplyAddEstimate(w1, Vector512.Load(r1 + j), sum);
                sum = Vector512.MultiplyAddEstimate(w2, Vector512.Load(r2 + j), sum);
                sum = Vector512.MultiplyAddEstimate(w3, Vector512.Load(r3 + j), sum);
                if (beta != 0f) sum = Vector512.MultiplyAddEstimate(wb, Vector512.Load(cIn + j), sum);
                sum.Store(c + j);
            }
        }
        Vector256<float> v0 = Vector256.Create(s0), v1 = Vector256.Create(s1), v2 = Vector256.Create(s2), v3 = Vector256.Create(s3);
        Vector256<float> vb = Vector256.Create(beta);
        for (; j <= n - 8; j += 8)
        {
            Vector256<float> sum = v0 * Vector256.Load(r0 + j);
            sum = Vector256.MultiplyAddEstimate(v1, Vector256.Load(r1 + j), sum);
            sum = Vector256.MultiplyAddEstimate(v2, Vector256.Load(r2 + j), sum);
            sum = Vector256.MultiplyAddEstimate(v3, Vector256.Load(r3 + j), sum);
            if (beta != 0f) sum = Vector256.MultiplyAddEstimate(vb, Vector256.Load(cIn + j), sum);
            sum.Store(c + j);
        }
        for (; j < n; j++)
        {
            float sum = MathF.FusedMultiplyAdd(s3, r3[j], MathF.FusedMultiplyAdd(s2, r2[j], MathF.FusedMultiplyAdd(s1, r1[j], s0 * r0[j])));
            c[j] = beta == 0f ? sum : MathF.FusedMultiplyAdd(beta, cIn[j], sum);
        }
    }

    private static void RowOf3(int n, float s0, float s1, float s2, float* r0, float* r1, float* r2, float beta, float* cIn, float* c)
    {
        int j = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> w0 = Vector512.Create(s0), w1 = Vector512.Create(s1), w2 = Vector512.Create(s2), wb = Vector512.Create(beta);
            for (; j <= n - 16; j += 16)
            {
                Vector512<float> sum = w0 * Vector512.Load(r0 + j);
                sum = Vector512.MultiplyAddEstimate(w1, Vector512.Load(r1 + j), sum);
                sum = Vector512.MultiplyAddEstimate(w2, Vector512.Load(r2 + j), sum);
                if (beta != 0f) sum = Vector512.MultiplyAddEstimate(wb, Vector512.Load(cIn + j), sum);
                sum.Store(c + j);
            }
        }
        Vector256<float> v0 = Vector256.Create(s0), v1 = Vector256.Create(s1), v2 = Vector256.Create(s2), vb = Vector256.Create(beta);
        for (; j <= n - 8; j += 8)
        {
            Vector256<float> sum = v0 * Vector256.Load(r0 + j);
            sum = Vector256.MultiplyAddEstimate(v1, Vector256.Load(r1 + j), sum);
            sum = Vector256.MultiplyAddEstimate(v2, Vector256.Load(r2 + j), sum);
            if (beta != 0f) sum = Vector256.MultiplyAddEstimate(vb, Vector256.Load(cIn + j), sum);
            sum.Store(c + j);
        }
        for (; j < n; j++)
        {
            float sum = MathF.FusedMultiplyAdd(s2, r2[j], MathF.FusedMultiplyAdd(s1, r1[j], s0 * r0[j]));
            c[j] = beta == 0f ? sum : MathF.FusedMultiplyAdd(beta, cIn[j], sum);
        }
    }

    private static void RowOf2(int n, float s0, float s1, float* r0, float* r1, float beta, float* cIn, float* c)
    {
        int j = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> w0 = Vector512.Create(s0), w1 = Vector512.Create(s1), wb = Vector512.Create(beta);
            for (; j <= n - 16; j += 16)
            {
                Vector512<float> sum = Vector512.MultiplyAddEstimate(w1, Vector512.Load(r1 + j), w0 * Vector512.Load(r0 + j));
                if (beta != 0f) sum = Vector512.MultiplyAddEstimate(wb, Vector512.Load(cIn + j), sum);
                sum.Store(c + j);
            }
        }
        Vector256<float> v0 = Vector256.Create(s0), v1 = Vector256.Create(s1), vb = Vector256.Create(beta);
        for (; j <= n - 8; j += 8)
        {
            Vector256<float> sum = Vector256.MultiplyAddEstimate(v1, Vector256.Load(r1 + j), v0 * Vector256.Load(r0 + j));
            if (beta != 0f) sum = Vector256.MultiplyAddEstimate(vb, Vector256.Load(cIn + j), sum);
            sum.Store(c + j);
        }
        for (; j < n; j++)
        {
            float sum = MathF.FusedMultiplyAdd(s1, r1[j], s0 * r0[j]);
            c[j] = beta == 0f ? sum : MathF.FusedMultiplyAdd(beta, cIn[j], sum);
        }
    }

    private static void RowOf1(int n, float s0, float* r0, float beta, float* cIn, float* c)
    {
        int j = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> w0 = Vector512.Create(s0), wb = Vector512.Create(beta);
            for (; j <= n - 16; j += 16)
            {
                Vector512<float> sum = w0 * Vector512.Load(r0 + j);
                if (beta != 0f) sum = Vector512.MultiplyAddEstimate(wb, Vector512.Load(cIn + j), sum);
                sum.Store(c + j);
            }
        }
        Vector256<float> v0 = Vector256.Create(s0), vb = Vector256.Create(beta);
        for (; j <= n - 8; j += 8)
        {
            Vector256<float> sum = v0 * Vector256.Load(r0 + j);
            if (beta != 0f) sum = Vector256.MultiplyAddEstimate(vb, Vector256.Load(cIn + j), sum);
            sum.Store(c + j);
        }
        for (; j < n; j++)
        {
            float sum = s0 * r0[j];
            c[j] = beta == 0f ? sum : MathF.FusedMultiplyAdd(beta, cIn[j], sum);
        }
    }
}
