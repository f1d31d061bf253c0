using DqnStudy.Nn.Blas;

namespace DqnStudy.Nn.Kernels;

/// <summary>
/// The general convolution: one sample at a time, its patches laid out as a matrix
/// col:(C·kH·kW, Ho·Wo), col[(c·kH + u)·kW + v][i·Wo + j] = xp[c][i·sH + u][j·sW + v] (xp = x zero-padded), so that
/// y = w·col + b, dw += dy·colᵀ and dcol = wᵀ·dy are plain GEMMs through the provider, and dx is dcol scattered back.
/// Per sample rather than per batch: y and dy stay in NCHW with no transposes, and the scratch is one sample's col.
/// </summary>
internal static class Conv2dIm2col
{
    /// <summary>x:(B,C,H,W)  w:(O,K)  b:(O)  y:(B,O,P)  col:(K,P), K = C·kH·kW, P = Ho·Wo.</summary>
    public static void Forward(IBlas blas, ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> b,
                               Span<float> y, Span<float> col, int batch, Conv2dShape shape)
    {
        int k = shape.FanIn, p = shape.OutPlane, o = shape.OutChannels;
        Span<float> patches = col[..(k * p)];
        for (int n = 0; n < batch; n++)
        {
            Gather(x.Slice(n * shape.InputSize, shape.InputSize), patches, shape);
            Span<float> yn = y.Slice(n * shape.OutputSize, shape.OutputSize);
            for (int f = 0; f < o; f++)
            {
                yn.Slice(f * p, p).Fill(b[f]);                                    // y[n][f] = b[f] …
            }
            blas.Gemm(Trans.No, Trans.No, o, p, k, 1f, w, patches, 1f, yn);     // … + w·col
        }
    }

    /// <summary>dw += Σn dy[n]·col[n]ᵀ; dx = dxBeta·dx + scatter(wᵀ·dy[n]) when dx is not empty (db is done by the caller).
    /// x:(B,C,H,W)  w:(O,K)  dy:(B,O,P)  dx:(B,C,H,W)  dw:(O,K)  col:(K,P).</summary>
    public static void Backward(IBlas blas, ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> dy,
                                Span<float> dx, Span<float> dw, Span<float> col, int batch, Conv2dShape shape, float dxBeta)
    {
        int k = shape.FanIn, p = shape.OutPlane, o = shape.OutChannels;
        Span<float> patches = col[..(k * p)];
        for (int n = 0; n < batch; n++)
        {
            ReadOnlySpan<float> dyn = dy.Slice(n * shape.OutputSize, shape.OutputSize);
            Gather(x.Slice(n * shape.InputSize, shape.InputSize), patches, shape);
            blas.Gemm(Trans.No, Trans.Yes, o, k, p, 1f, dyn, patches, 1f, dw);     // dw += dy[n]·colᵀ
            if (!dx.IsEmpty)
            {
                SampleInputGradient(blas, w, dyn, dx.Slice(n * shape.InputSize, shape.InputSize), patches, shape, dxBeta);
            }
        }
    }

    /// <summary>dx = dxBeta·dx + ∂L/∂x alone (the direct algorithm's backward uses it).</summary>
    public static void InputGradient(IBlas blas, ReadOnlySpan<float> w, ReadOnlySpan<float> dy, Span<float> dx,
                                     Span<float> col, int batch, Conv2dShape shape, float dxBeta)
    {
        Span<float> patches = col[..(shape.FanIn * shape.OutPlane)];
        for (int n = 0; n < batch; n++)
        {
            SampleInputGradient(blas, w, dy.Slice(n * shape.OutputSize, shape.OutputSize),
                                dx.Slice(n * shape.InputSize, shape.InputSize), patches, shape, dxBeta);
        }
    }

    private static void SampleInputGradient(IBlas blas, ReadOnlySpan<float> w, ReadOnlySpan<float> dyn, Span<float> dxn,
                                            Span<float> patches, Conv2dShape shape, float dxBeta)
    {
        int k = shape.FanIn, p = shape.OutPlane, o = shape.OutChannels;
        blas.Gemm(Trans.Yes, Trans.No, k, p, o, 1f, w, dyn, 0f, patches);           // dcol = wᵀ·dy[n]
        if (dxBeta == 0f)
        {
            dxn.Clear();
        }
        else if (dxBeta != 1f)
        {
            for (int i = 0; i < dxn.Length; i++)
            {
                dxn[i] *= dxBeta;
            }
        }
        Scatter(patches, dxn, shape);
    }

    /// <summary>col[(c·kH + u)·kW + v][i·Wo + j] = x[c][i·sH + u − pH][j·sW + v − pW], 0 in the padding.
    /// x:(C,H,W)  col:(K,P).</summary>
    public static void Gather(ReadOnlySpan<float> x, Span<float> col, Conv2dShape s)
    {
        int row = 0;
        for (int c = 0; c < s.InChannels; c++)
        {
            ReadOnlySpan<float> plane = x.Slice(c * s.Height * s.Width, s.Height * s.Width);
            for (int u = 0; u < s.KernelH; u++)
            {
                for (int v = 0; v < s.KernelW; v++, row++)
                {
                    Span<float> dst = col.Slice(row * s.OutPlane, s.OutPlane);
                    (int j0, int j1) = Inside(v, s.StrideW, s.PaddingW, s.Width, s.OutWidth);
                    for (int i = 0; i < s.OutHeight; i++)
                    {
                        Span<float> line = dst.Slice(i * s.OutWidth, s.OutWidth);
                        int r = i * s.StrideH + u - s.PaddingH;
                        if (r < 0 || r >= s.Height || j0 >= j1)
                        {
                            line.Clear();
                            continue;
                        }
                        line[..j0].Clear();
                        line[j1..].Clear();
                        ReadOnlySpan<float> src = plane.Slice(r * s.Width, s.Width);
                        int col0 = j0 * s.StrideW + v - s.PaddingW;
                        if (s.StrideW == 1)
                        {
                            src.Slice(col0, j1 - j0).CopyTo(line[j0..j1]);
                        }
                        else
                        {
                            for (int j = j0, at = col0; j < j1; j++, at += s.StrideW)
                            {
                                line[j] = src[at];
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>The adjoint of <see cref="Gather"/>: dx[c][i·sH + u − pH][j·sW + v − pW] += dcol[…][i·Wo + j];
    /// the padding's share is dropped. dcol:(K,P)  dx:(C,H,W).</summary>
    public static void Scatter(ReadOnlySpan<float> dcol, Span<float> dx, Conv2dShape s)
    {
        int row = 0;
        for (int c = 0; c < s.InChannels; c++)
        {
            Span<float> plane = dx.Slice(c * s.Height * s.Width, s.Height * s.Width);
            for (int u = 0; u < s.KernelH; u++)
            {
                for (int v = 0; v < s.KernelW; v++, row++)
                {
                    ReadOnlySpan<float> src = dcol.Slice(row * s.OutPlane, s.OutPlane);
                    (int j0, int j1) = Inside(v, s.StrideW, s.PaddingW, s.Width, s.OutWidth);
                    if (j0 >= j1)
                    {
                        continue;
                    }
                    for (int i = 0; i < s.OutHeight; i++)
                    {
                        int r = i * s.StrideH + u - s.PaddingH;
                        if (r < 0 || r >= s.Height)
                        {
                            continue;
                        }
                        ReadOnlySpan<float> line = src.Slice(i * s.OutWidth, s.OutWidth);
                        Span<float> dst = plane.Slice(r * s.Width, s.Width);
                        for (int j = j0, at = j0 * s.StrideW + v - s.PaddingW; j < j1; j++, at += s.StrideW)
                        {
                            dst[at] += line[j];
                        }
                    }
                }
            }
        }
    }

    /// <summary>The output columns [j0, j1) whose tap v lands inside the input: 0 ≤ j·stride + v − pad &lt; size.</summary>
    private static (int J0, int J1) Inside(int v, int stride, int pad, int size, int outSize)
    {
        int first = pad - v;                                   // j·stride ≥ pad − v
        int j0 = first <= 0 ? 0 : (first + stride - 1) / stride;
        int last = size - 1 + pad - v;                          // j·stride ≤ size − 1 + pad − v
        int j1 = last < 0 ? 0 : Math.Min(outSize, last / stride + 1);
        return (Math.Min(j0, j1), j1);
    }
}
