using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using DqnStudy.Nn.Blas;

namespace DqnStudy.Nn.Kernels;

/// <summary>The fully connected layer, torch.nn.Linear's layout: w is (Out, In), y = x·wᵀ + b.</summary>
public static class Linear
{
    /// <summary>y = x·wᵀ + b (y overwritten).  x:(B,In)  w:(Out,In)  b:(Out)  y:(B,Out).</summary>
    public static void Forward(IBlas blas, ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> b,
                               Span<float> y, int batch, int inFeatures, int outFeatures)
    {
        CheckDimensions(batch, inFeatures, outFeatures);
        Shapes.Require(x, batch * inFeatures, nameof(x));
        Shapes.Require(w, outFeatures * inFeatures, nameof(w));
        Shapes.Require(b, outFeatures, nameof(b));
        Shapes.Require(y, batch * outFeatures, nameof(y));
        blas.GemmBias(Trans.No, Trans.Yes, batch, outFeatures, inFeatures, x, w, b, y);   // y = x·wᵀ + b
    }

    /// <summary>
    /// Accumulates (+=) into dw and db; callers zero gradients once per step. dx accumulates too unless
    /// dxBeta = 0, which overwrites it (a layer's contract) without a separate clearing pass.
    /// dx may be empty: the first layer of a network needs no input gradient.
    /// x:(B,In)  w:(Out,In)  dy:(B,Out)  dx:(B,In)  dw:(Out,In)  db:(Out).
    /// </summary>
    public static void Backward(IBlas blas, ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> dy,
                                Span<float> dx, Span<float> dw, Span<float> db, int batch, int inFeatures, int outFeatures,
                                float dxBeta = 1f)
    {
        CheckDimensions(batch, inFeatures, outFeatures);
        Shapes.Require(x, batch * inFeatures, nameof(x));
        Shapes.Require(w, outFeatures * inFeatures, nameof(w));
        Shapes.Require(dy, batch * outFeatures, nameof(dy));
        Shapes.Require(dw, outFeatures * inFeatures, nameof(dw));
        Shapes.Require(db, outFeatures, nameof(db));
        if (!dx.IsEmpty)
        {
            Shapes.Require(dx, batch * inFeatures, nameof(dx));
            blas.Gemm(Trans.No, Trans.No, batch, inFeatures, outFeatures, 1f, dy, w, dxBeta, dx);   // dx = dy·w + β·dx
        }
        blas.Gemm(Trans.Yes, Trans.No, outFeatures, inFeatures, batch, 1f, dy, x, 1f, dw);      // dw += dyᵀ·x
        ColumnSum(dy, db, batch, outFeatures);                                                   // db += Σn dy[n]
    }

    /// <summary>db[j] += Σn dy[n, j], adding the rows in order (the same sums as one vector add per row, bit for bit)
    /// but keeping 8 columns in a register across the whole batch instead of a library call per row.
    /// dy:(B,Out)  db:(Out).</summary>
    private static void ColumnSum(ReadOnlySpan<float> dy, Span<float> db, int batch, int outFeatures)
    {
        ref float rdy = ref MemoryMarshal.GetReference(dy);
        ref float rdb = ref MemoryMarshal.GetReference(db);
        int j = 0;
        for (; j <= outFeatures - Vector256<float>.Count; j += Vector256<float>.Count)
        {
            Vector256<float> sum = Vector256.LoadUnsafe(ref rdb, (nuint)j);
            for (int n = 0; n < batch; n++)
            {
                sum += Vector256.LoadUnsafe(ref rdy, (nuint)(n * outFeatures + j));
            }
            sum.StoreUnsafe(ref rdb, (nuint)j);
        }
        for (; j < outFeatures; j++)
        {
            float sum = Unsafe.Add(ref rdb, j);
            for (int n = 0; n < batch; n++)
            {
                sum += Unsafe.Add(ref rdy, n * outFeatures + j);
            }
            Unsafe.Add(ref rdb, j) = sum;
        }
    }

    private static void CheckDimensions(int batch, int inFeatures, int outFeatures)
    {
        Shapes.RequirePositive(batch, nameof(batch));
        Shapes.RequirePositive(inFeatures, nameof(inFeatures));
        Shapes.RequirePositive(outFeatures, nameof(outFeatures));
    }
}
