using System.Runtime.Intrinsics;
using DqnStudy.Nn.Blas;

namespace DqnStudy.Nn.Kernels;

/// <summary>How <see cref="Conv2d"/> computes: <see cref="Im2col"/> works for every shape (one sample's patches as a
/// matrix, then GEMMs through the provider); <see cref="Direct"/> is a register-tiled AVX kernel for stride 1 and at
/// least 8 output columns (MinAtar's 10×10 → 8×8; with padding it runs on a zero-padded copy of x), where a GEMM over
/// a 36×64 patch matrix per sample spends more time gathering and packing than multiplying. <see cref="Auto"/> takes
/// Direct wherever it applies.</summary>
public enum Conv2dAlgorithm
{
    Auto,
    Im2col,
    Direct,
}

/// <summary>
/// torch.nn.Conv2d's forward and backward over NCHW spans: cross-correlation (the kernel is not flipped), bias,
/// stride and zero padding per axis, dilation 1, groups 1. w is (O, C, kH, kW) as in torch.
/// </summary>
public static class Conv2d
{
    /// <summary>Floats of scratch the kernels need for up to <paramref name="maxBatch"/> samples: one sample's patch
    /// matrix (C·kH·kW, Ho·Wo) and, where the direct kernel runs a padded shape, the zero-padded input
    /// (maxBatch, C, H + 2pH, W + 2pW).</summary>
    public static int WorkspaceSize(Conv2dShape shape, int maxBatch)
    {
        Shapes.RequirePositive(maxBatch, nameof(maxBatch));
        long size = (long)shape.FanIn * shape.OutPlane + (PadsForDirect(shape) ? (long)maxBatch * Unpadded(shape).InputSize : 0);
        return size <= Array.MaxLength
            ? (int)size
            : throw new ArgumentException($"The workspace of {shape} at batch {maxBatch} is larger than an array holds.", nameof(maxBatch));
    }

    /// <summary>Whether the direct kernel can run this shape: stride 1 and Wo ≥ 8 (any padding).</summary>
    public static bool DirectApplies(Conv2dShape shape) =>
        shape.StrideH == 1 && shape.StrideW == 1 && shape.OutWidth >= Conv2dDirect.Lanes;

    /// <summary>The algorithm <paramref name="algorithm"/> means for this shape; Direct where it does not apply throws.</summary>
    public static Conv2dAlgorithm Resolve(Conv2dAlgorithm algorithm, Conv2dShape shape) => algorithm switch
    {
        Conv2dAlgorithm.Auto => DirectApplies(shape) ? Conv2dAlgorithm.Direct : Conv2dAlgorithm.Im2col,
        Conv2dAlgorithm.Im2col => Conv2dAlgorithm.Im2col,
        Conv2dAlgorithm.Direct when DirectApplies(shape) => Conv2dAlgorithm.Direct,
        Conv2dAlgorithm.Direct => throw new ArgumentException(
            $"The direct convolution needs stride 1 and at least {Conv2dDirect.Lanes} output columns; {shape} does not qualify.",
            nameof(algorithm)),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unknown convolution algorithm."),
    };

    /// <summary>y = conv(x, w) + b, overwritten.
    /// x:(B, C, H, W)  w:(O, C, kH, kW)  b:(O)  y:(B, O, Ho, Wo)  workspace:(WorkspaceSize(shape, B)) scratch.</summary>
    public static void Forward(IBlas blas, ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> b,
                               Span<float> y, Span<float> workspace, int batch, Conv2dShape shape,
                               Conv2dAlgorithm algorithm = Conv2dAlgorithm.Auto)
    {
        ArgumentNullException.ThrowIfNull(blas);
        Shapes.RequirePositive(batch, nameof(batch));
        Shapes.Require(x, batch * shape.InputSize, nameof(x));
        Shapes.Require(w, shape.WeightSize, nameof(w));
        Shapes.Require(b, shape.OutChannels, nameof(b));
        Shapes.Require(y, batch * shape.OutputSize, nameof(y));
        Shapes.Require(workspace, WorkspaceSize(shape, batch), nameof(workspace));
        if (Resolve(algorithm, shape) == Conv2dAlgorithm.Direct)
        {
            ReadOnlySpan<float> xp = Padded(x, workspace, batch, shape, out Conv2dShape unpadded);
            Conv2dDirect.Forward(xp, w, b, y, batch, unpadded);
            return;
        }
        Conv2dIm2col.Forward(blas, x, w, b, y, workspace, batch, shape);
    }

    /// <summary>
    /// Accumulates (+=) into dw and db; callers zero gradients once per step. dx accumulates too unless dxBeta = 0,
    /// which overwrites it (a layer's contract). dx may be empty: the first layer needs no input gradient. Input
    /// rows and columns that no window reaches (stride leftovers) get exactly 0 (plus dxBeta·dx).
    /// x:(B, C, H, W)  w:(O, C, kH, kW)  dy:(B, O, Ho, Wo)  dx:(B, C, H, W)  dw:(O, C, kH, kW)  db:(O)
    /// workspace:(WorkspaceSize(shape, B)) scratch.
    /// </summary>
    public static void Backward(IBlas blas, ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> dy,
                                Span<float> dx, Span<float> dw, Span<float> db, Span<float> workspace, int batch,
                                Conv2dShape shape, float dxBeta = 1f, Conv2dAlgorithm algorithm = Conv2dAlgorithm.Auto)
    {
        ArgumentNullException.ThrowIfNull(blas);
        Shapes.RequirePositive(batch, nameof(batch));
        Shapes.Require(x, batch * shape.InputSize, nameof(x));
        Shapes.Require(w, shape.WeightSize, nameof(w));
        Shapes.Require(dy, batch * shape.OutputSize, nameof(dy));
        Shapes.Require(dw, shape.WeightSize, nameof(dw));
        Shapes.Require(db, shape.OutChannels, nameof(db));
        bool direct = Resolve(algorithm, shape) == Conv2dAlgorithm.Direct;
        if (!dx.IsEmpty)
        {
            Shapes.Require(dx, batch * shape.InputSize, nameof(dx));
        }
        Shapes.Require(workspace, WorkspaceSize(shape, batch), nameof(workspace));
        BiasGradient(dy, db, batch, shape);
        if (direct)
        {
            ReadOnlySpan<float> xp = Padded(x, workspace, batch, shape, out Conv2dShape unpadded);
            Conv2dDirect.WeightGradient(xp, dy, dw, batch, unpadded);
            if (!dx.IsEmpty)
            {
                // The input gradient is a full correlation with the flipped kernel: the patch-matrix GEMM and its
                // scatter serve every shape, and the first layer (MinAtar's only conv) never asks for it.
                Conv2dIm2col.InputGradient(blas, w, dy, dx, workspace, batch, shape, dxBeta);
            }
            return;
        }
        Conv2dIm2col.Backward(blas, x, w, dy, dx, dw, workspace, batch, shape, dxBeta);
    }

    private static bool PadsForDirect(Conv2dShape shape) => DirectApplies(shape) && (shape.PaddingH > 0 || shape.PaddingW > 0);

    /// <summary>The same convolution on the zero-padded input, with no padding of its own (the same Ho and Wo).</summary>
    private static Conv2dShape Unpadded(Conv2dShape s) =>
        new(s.InChannels, s.Height + 2 * s.PaddingH, s.Width + 2 * s.PaddingW, s.OutChannels, s.KernelH, s.KernelW);

    /// <summary>x itself when the shape has no padding; else x copied with zero borders into the workspace after the
    /// patch matrix. x:(B,C,H,W) → (B,C,H+2pH,W+2pW).</summary>
    private static ReadOnlySpan<float> Padded(ReadOnlySpan<float> x, Span<float> workspace, int batch, Conv2dShape s,
                                              out Conv2dShape unpadded)
    {
        if (!PadsForDirect(s))
        {
            unpadded = s;
            return x;
        }
        unpadded = Unpadded(s);
        int wp = unpadded.Width;
        Span<float> xp = workspace.Slice(s.FanIn * s.OutPlane, batch * unpadded.InputSize);
        xp.Clear();
        for (int plane = 0; plane < batch * s.InChannels; plane++)
        {
            for (int r = 0; r < s.Height; r++)
            {
                x.Slice((plane * s.Height + r) * s.Width, s.Width)
                 .CopyTo(xp.Slice((plane * unpadded.Height + r + s.PaddingH) * wp + s.PaddingW, s.Width));
            }
        }
        return xp;
    }

    /// <summary>db[o] += Σ over samples and positions of dy[n][o]. dy:(B,O,Ho,Wo)  db:(O).</summary>
    private static void BiasGradient(ReadOnlySpan<float> dy, Span<float> db, int batch, Conv2dShape s)
    {
        int p = s.OutPlane;
        for (int f = 0; f < s.OutChannels; f++)
        {
            Vector256<float> acc = Vector256<float>.Zero;
            float scalar = 0f;
            for (int n = 0; n < batch; n++)
            {
                ReadOnlySpan<float> plane = dy.Slice(n * s.OutputSize + f * p, p);
                int i = 0;
                for (; i <= p - Conv2dDirect.Lanes; i += Conv2dDirect.Lanes)
                {
                    acc += Vector256.Create(plane.Slice(i, Conv2dDirect.Lanes));
                }
                for (; i < p; i++)
                {
                    scalar += plane[i];
                }
            }
            db[f] += Vector256.Sum(acc) + scalar;
        }
    }
}
