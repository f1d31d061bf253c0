using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace DqnStudy.Nn.Kernels;

/// <summary>
/// The convolution without a patch matrix, for stride 1, no padding (Conv2d pads a copy first) and Wo ≥ 8 (MinAtar:
/// 10×10 → 8×8, 3×3 filters).
/// An output row segment of 8 columns is one Vector256, and a tap (c, u, v) of the filter reads the input row
/// segment 8 columns long starting at column j + v: no gather, no copy.
/// <list type="bullet">
/// <item>Forward: a 4-filter × 3-row register tile (12 accumulators, 3 input vectors, 1 broadcast weight: the 16 ymm
/// registers), 12 FMAs per 7 loads. Rows left over use a 4 × 2 tile, filters left over a 1 × 1 one.</item>
/// <item>dw: a 4-filter × 3-tap tile for one (c, u): 12 accumulators summed over every sample, row and column
/// segment, then reduced across lanes once.</item>
/// </list>
/// A row whose width is not a multiple of 8 ends with a segment that overlaps the previous one: the forward writes
/// those outputs twice with the same value (the same sums in the same order); dw masks the overlap out of dy.
/// Every sum's order depends only on the shape: results are bit-reproducible.
/// </summary>
[SkipLocalsInit]
internal static unsafe class Conv2dDirect
{
    public const int Lanes = 8;

    /// <summary>x:(B,C,H,W)  w:(O,C,kH,kW)  b:(O)  y:(B,O,Ho,Wo); stride 1, no padding, Wo ≥ 8.</summary>
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> b, Span<float> y,
                               int batch, Conv2dShape s)
    {
        int o = s.OutChannels, ho = s.OutHeight, wo = s.OutWidth, k = s.FanIn, p = s.OutPlane;
        int segments = (wo + Lanes - 1) / Lanes;
        var g = new Geometry(s);
        fixed (float* px = x, pw = w, pb = b, py = y)
        {
            for (int n = 0; n < batch; n++)
            {
                float* xn = px + (nint)n * s.InputSize;
                float* yn = py + (nint)n * s.OutputSize;
                for (int o0 = 0; o0 < o; o0 += 4)
                {
                    int filters = Math.Min(4, o - o0);
                    for (int i0 = 0; i0 < ho;)
                    {
                        int rows = Math.Min(3, ho - i0);
                        for (int segment = 0; segment < segments; segment++)
                        {
                            int j = Math.Min(segment * Lanes, wo - Lanes);
                            float* xs = xn + i0 * g.W + j;
                            float* ys = yn + (o0 * ho + i0) * wo + j;
                            if (filters == 4 && rows == 3)
                            {
                                Forward4x3(xs, pw + o0 * k, pb + o0, ys, g);
                            }
                            else if (filters == 4 && rows == 2)
                            {
                                Forward4x2(xs, pw + o0 * k, pb + o0, ys, g);
                            }
                            else
                            {
                                for (int f = 0; f < filters; f++)
                                {
                                    for (int r = 0; r < rows; r++)
                                    {
                                        Forward1x1(xs + r * g.W, pw + (o0 + f) * k, pb[o0 + f], ys + f * p + r * wo, g);
                                    }
                                }
                            }
                        }
                        i0 += rows;
                    }
                }
            }
        }
    }

    /// <summary>dw += Σ over samples and positions of dy·x at each tap.
    /// x:(B,C,H,W)  dy:(B,O,Ho,Wo)  dw:(O,C,kH,kW); stride 1, no padding, Wo ≥ 8.</summary>
    public static void WeightGradient(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dw, int batch, Conv2dShape s)
    {
        int o = s.OutChannels, k = s.FanIn, wo = s.OutWidth;
        int fullSegments = wo / Lanes;
        int tail = wo - fullSegments * Lanes;   // columns of a last, overlapping segment at wo − 8
        Vector256<float> tailMask = TailMask(tail);
        var g = new Geometry(s);
        fixed (float* px = x, pdy = dy, pdw = dw)
        {
            for (int o0 = 0; o0 < o; o0 += 4)
            {
                int filters = Math.Min(4, o - o0);
                for (int c = 0; c < s.InChannels; c++)
                {
                    for (int u = 0; u < s.KernelH; u++)
                    {
                        float* xcu = px + (c * g.H + u) * g.W;          // sample 0, channel c, row u, column 0
                        float* dwcu = pdw + o0 * k + (c * s.KernelH + u) * s.KernelW;
                        for (int v0 = 0; v0 < s.KernelW; v0 += 3)
                        {
                            int taps = Math.Min(3, s.KernelW - v0);
                            if (filters == 4 && taps == 3)
                            {
                                WeightGradient4x3(xcu + v0, pdy + o0 * g.P, dwcu + v0, batch, fullSegments, g);
                            }
                            else
                            {
                                for (int f = 0; f < filters; f++)
                                {
                                    for (int t = 0; t < taps; t++)
                                    {
                                        dwcu[f * k + v0 + t] += Dot1x1(xcu + v0 + t, pdy + (o0 + f) * g.P, batch, fullSegments, 0,
                                                                       Vector256<float>.AllBitsSet, g);
                                    }
                                }
                            }
                            if (tail != 0)
                            {
                                for (int f = 0; f < filters; f++)
                                {
                                    for (int t = 0; t < taps; t++)
                                    {
                                        dwcu[f * k + v0 + t] += Dot1x1(xcu + v0 + t, pdy + (o0 + f) * g.P, batch, 1, wo - Lanes, tailMask, g);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>The strides the tiles need, kept in one struct so they travel in registers.</summary>
    private readonly struct Geometry(Conv2dShape s)
    {
        public readonly int C = s.InChannels, H = s.Height, W = s.Width, KH = s.KernelH, KW = s.KernelW;
        public readonly int K = s.FanIn, P = s.OutPlane, Wo = s.OutWidth, Ho = s.OutHeight;
        public readonly int InputSize = s.InputSize, OutputSize = s.OutputSize;
    }

    // x: channel 0, output row i0's top-left input at column j; w: filter o0 (row stride K); y: (o0, i0, j).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Forward4x3(float* x, float* w, float* b, float* y, in Geometry g)
    {
        Vector256<float> a00 = Vector256.Create(b[0]), a01 = a00, a02 = a00;
        Vector256<float> a10 = Vector256.Create(b[1]), a11 = a10, a12 = a10;
        Vector256<float> a20 = Vector256.Create(b[2]), a21 = a20, a22 = a20;
        Vector256<float> a30 = Vector256.Create(b[3]), a31 = a30, a32 = a30;
        int kw = g.KW, width = g.W, k = g.K;
        float* wt = w;
        for (int c = 0; c < g.C; c++)
        {
            float* xr = x + c * g.H * width;
            for (int u = 0; u < g.KH; u++, xr += width)
            {
                for (int v = 0; v < kw; v++, wt++)
                {
                    Vector256<float> x0 = Vector256.Load(xr + v);
                    Vector256<float> x1 = Vector256.Load(xr + width + v);
                    Vector256<float> x2 = Vector256.Load(xr + 2 * width + v);
                    Vector256<float> wv = Vector256.Create(wt[0]);
                    a00 = Vector256.MultiplyAddEstimate(wv, x0, a00);
                    a01 = Vector256.MultiplyAddEstimate(wv, x1, a01);
                    a02 = Vector256.MultiplyAddEstimate(wv, x2, a02);
                    wv = Vector256.Create(wt[k]);
                    a10 = Vector256.MultiplyAddEstimate(wv, x0, a10);
                    a11 = Vector256.MultiplyAddEstimate(wv, x1, a11);
                    a12 = Vector256.MultiplyAddEstimate(wv, x2, a12);
                    wv = Vector256.Create(wt[2 * k]);
                    a20 = Vector256.MultiplyAddEstimate(wv, x0, a20);
                    a21 = Vector256.MultiplyAddEstimate(wv, x1, a21);
                    a22 = Vector256.MultiplyAddEstimate(wv, x2, a22);
                    wv = Vector256.Create(wt[3 * k]);
                    a30 = Vector256.MultiplyAddEstimate(wv, x0, a30);
                    a31 = Vector256.MultiplyAddEstimate(wv, x1, a31);
                    a32 = Vector256.MultiplyAddEstimate(wv, x2, a32);
                }
            }
        }
        int wo = g.Wo, p = g.P;
        a00.Store(y); a01.Store(y + wo); a02.Store(y + 2 * wo);
        y += p;
        a10.Store(y); a11.Store(y + wo); a12.Store(y + 2 * wo);
        y += p;
        a20.Store(y); a21.Store(y + wo); a22.Store(y + 2 * wo);
        y += p;
        a30.Store(y); a31.Store(y + wo); a32.Store(y + 2 * wo);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Forward4x2(float* x, float* w, float* b, float* y, in Geometry g)
    {
        Vector256<float> a00 = Vector256.Create(b[0]), a01 = a00;
        Vector256<float> a10 = Vector256.Create(b[1]), a11 = a10;
        Vector256<float> a20 = Vector256.Create(b[2]), a21 = a20;
        Vector256<float> a30 = Vector256.Create(b[3]), a31 = a30;
        int kw = g.KW, width = g.W, k = g.K;
        float* wt = w;
        for (int c = 0; c < g.C; c++)
        {
            float* xr = x + c * g.H * width;
            for (int u = 0; u < g.KH; u++, xr += width)
            {
                for (int v = 0; v < kw; v++, wt++)
                {
                    Vector256<float> x0 = Vector256.Load(xr + v);
                    Vector256<float> x1 = Vector256.Load(xr + width + v);
                    Vector256<float> wv = Vector256.Create(wt[0]);
                    a00 = Vector256.MultiplyAddEstimate(wv, x0, a00);
                    a01 = Vector256.MultiplyAddEstimate(wv, x1, a01);
                    wv = Vector256.Create(wt[k]);
                    a10 = Vector256.MultiplyAddEstimate(wv, x0, a10);
                    a11 = Vector256.MultiplyAddEstimate(wv, x1, a11);
                    wv = Vector256.Create(wt[2 * k]);
                    a20 = Vector256.MultiplyAddEstimate(wv, x0, a20);
                    a21 = Vector256.MultiplyAddEstimate(wv, x1, a21);
                    wv = Vector256.Create(wt[3 * k]);
                    a30 = Vector256.MultiplyAddEstimate(wv, x0, a30);
                    a31 = Vector256.MultiplyAddEstimate(wv, x1, a31);
                }
            }
        }
        int wo = g.Wo, p = g.P;
        a00.Store(y); a01.Store(y + wo);
        y += p;
        a10.Store(y); a11.Store(y + wo);
        y += p;
        a20.Store(y); a21.Store(y + wo);
        y += p;
        a30.Store(y); a31.Store(y + wo);
    }

    private static void Forward1x1(float* x, float* w, float b, float* y, in Geometry g)
    {
        Vector256<float> acc = Vector256.Create(b);
        float* wt = w;
        for (int c = 0; c < g.C; c++)
        {
            float* xr = x + c * g.H * g.W;
            for (int u = 0; u < g.KH; u++, xr += g.W)
            {
                for (int v = 0; v < g.KW; v++, wt++)
                {
                    acc = Vector256.MultiplyAddEstimate(Vector256.Create(wt[0]), Vector256.Load(xr + v), acc);
                }
            }
        }
        acc.Store(y);
    }

    // x: sample 0, (c, row u, column v0); dy: sample 0, filter o0, (0, 0); dw: (o0, c, u, v0), row stride K.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WeightGradient4x3(float* x, float* dy, float* dw, int batch, int segments, in Geometry g)
    {
        Vector256<float> a00 = Vector256<float>.Zero, a01 = a00, a02 = a00, a10 = a00, a11 = a00, a12 = a00;
        Vector256<float> a20 = a00, a21 = a00, a22 = a00, a30 = a00, a31 = a00, a32 = a00;
        int p = g.P, wo = g.Wo, width = g.W;
        for (int n = 0; n < batch; n++)
        {
            float* xn = x + (nint)n * g.InputSize;
            float* dn = dy + (nint)n * g.OutputSize;
            for (int i = 0; i < g.Ho; i++)
            {
                float* xr = xn + i * width;
                float* dr = dn + i * wo;
                for (int s = 0, j = 0; s < segments; s++, j += Lanes)
                {
                    Vector256<float> x0 = Vector256.Load(xr + j);
                    Vector256<float> x1 = Vector256.Load(xr + j + 1);
                    Vector256<float> x2 = Vector256.Load(xr + j + 2);
                    Vector256<float> d = Vector256.Load(dr + j);
                    a00 = Vector256.MultiplyAddEstimate(d, x0, a00);
                    a01 = Vector256.MultiplyAddEstimate(d, x1, a01);
                    a02 = Vector256.MultiplyAddEstimate(d, x2, a02);
                    d = Vector256.Load(dr + p + j);
                    a10 = Vector256.MultiplyAddEstimate(d, x0, a10);
                    a11 = Vector256.MultiplyAddEstimate(d, x1, a11);
                    a12 = Vector256.MultiplyAddEstimate(d, x2, a12);
                    d = Vector256.Load(dr + 2 * p + j);
                    a20 = Vector256.MultiplyAddEstimate(d, x0, a20);
                    a21 = Vector256.MultiplyAddEstimate(d, x1, a21);
                    a22 = Vector256.MultiplyAddEstimate(d, x2, a22);
                    d = Vector256.Load(dr + 3 * p + j);
                    a30 = Vector256.MultiplyAddEstimate(d, x0, a30);
                    a31 = Vector256.MultiplyAddEstimate(d, x1, a31);
                    a32 = Vector256.MultiplyAddEstimate(d, x2, a32);
                }
            }
        }
        int k = g.K;
        dw[0] += Vector256.Sum(a00); dw[1] += Vector256.Sum(a01); dw[2] += Vector256.Sum(a02);
        dw += k;
        dw[0] += Vector256.Sum(a10); dw[1] += Vector256.Sum(a11); dw[2] += Vector256.Sum(a12);
        dw += k;
        dw[0] += Vector256.Sum(a20); dw[1] += Vector256.Sum(a21); dw[2] += Vector256.Sum(a22);
        dw += k;
        dw[0] += Vector256.Sum(a30); dw[1] += Vector256.Sum(a31); dw[2] += Vector256.Sum(a32);
    }

    /// <summary>Σ over samples, rows and <paramref name="segments"/> segments from column <paramref name="j0"/> of
    /// (dy &amp; mask)·x, for one filter and one tap. x: sample 0, (c, u, v); dy: sample 0, filter f.</summary>
    private static float Dot1x1(float* x, float* dy, int batch, int segments, int j0, Vector256<float> mask, in Geometry g)
    {
        Vector256<float> acc = Vector256<float>.Zero;
        for (int n = 0; n < batch; n++)
        {
            float* xn = x + (nint)n * g.InputSize;
            float* dn = dy + (nint)n * g.OutputSize;
            for (int i = 0; i < g.Ho; i++)
            {
                for (int s = 0, j = j0; s < segments; s++, j += Lanes)
                {
                    Vector256<float> d = Vector256.Load(dn + i * g.Wo + j) & mask;
                    acc = Vector256.MultiplyAddEstimate(d, Vector256.Load(xn + i * g.W + j), acc);
                }
            }
        }
        return Vector256.Sum(acc);
    }

    /// <summary>Keeps the last <paramref name="tail"/> lanes: the columns of an overlapping last segment not yet counted.</summary>
    private static Vector256<float> TailMask(int tail)
    {
        Vector256<int> lanes = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
        return Vector256.GreaterThanOrEqual(lanes, Vector256.Create(Lanes - tail)).AsSingle();
    }
}
