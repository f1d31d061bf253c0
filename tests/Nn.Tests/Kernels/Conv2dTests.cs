using DqnStudy.Nn.Diagnostics;
using DqnStudy.Nn.Blas;
using DqnStudy.Nn.Kernels;
using DqnStudy.Nn.Layers;
using DqnStudy.Nn.Tests.Blas;
using DqnStudy.Nn.Tests.ReferenceVectors;

namespace DqnStudy.Nn.Tests.Kernels;

/// <summary>Both convolution algorithms on every provider against FORMAT.md's formulas evaluated in double, over shapes
/// chosen to reach every edge of the direct kernel's tiling (filters not a multiple of 4, 1 or 2 rows left over, taps
/// not a multiple of 3, an overlapping last column segment, a padded copy) and of the patch matrix (stride, padding,
/// gaps).</summary>
public sealed class Conv2dTests
{
    // The loss is evaluated in double, so the finite difference carries no float rounding; what remains is the float32
    // analytic gradient: up to O·kH·kW = 144 products of ~0.1 cancelling to ~1e-3 carry ~1e-7 of rounding, a relative
    // 1e-4 (more through a stack of layers, and the GEMM's summation order moves it). A wrong term is off by order 1.
    public const double Tolerance = 1e-3;

    // batch, C, H, W, O, kH, kW, sH, sW, pH, pW
    public static IEnumerable<object[]> Shapes() =>
    [
        [3, 4, 10, 10, 16, 3, 3, 1, 1, 0, 0],   // MinAtar
        [2, 3, 7, 12, 5, 3, 3, 1, 1, 0, 0],     // Ho 5 = 3 + 2, Wo 10 (overlapping segment), O 5 (one filter left over)
        [2, 2, 9, 20, 6, 2, 4, 1, 1, 0, 0],     // Wo 17 (three segments, last overlapping), kW 4 (one tap left over)
        [1, 1, 5, 8, 4, 1, 1, 1, 1, 0, 0],      // 1×1 kernel
        [2, 2, 6, 9, 3, 4, 2, 1, 1, 0, 0],      // O 3: only the 1×1 tiles
        [2, 2, 4, 12, 8, 1, 5, 1, 1, 0, 0],     // Ho 4 = 3 + 1, kW 5
        [2, 3, 8, 9, 5, 3, 3, 1, 1, 1, 1],      // padding 1, stride 1: the direct kernel on a padded copy
        [2, 2, 6, 10, 4, 3, 2, 1, 1, 2, 0],     // padding on one axis only
        [2, 3, 7, 9, 4, 3, 3, 2, 2, 1, 1],      // stride 2, padding 1
        [2, 2, 8, 7, 3, 3, 2, 2, 3, 0, 1],      // stride and padding per axis
        [2, 2, 7, 7, 3, 2, 2, 3, 3, 0, 0],      // stride > kernel: input rows and columns no window reaches
        [2, 2, 3, 3, 2, 3, 3, 1, 1, 2, 2],      // padding wider than half the kernel: windows of padding only
        [1, 1, 1, 1, 2, 1, 1, 1, 1, 0, 0],      // 1×1 image
        [3, 5, 4, 5, 4, 4, 5, 1, 1, 0, 0],      // kernel as large as the input: a dense layer
    ];

    [Theory]
    [MemberData(nameof(Shapes))]
    public void EveryAlgorithmAgreesWithTheFormulaOnEveryProvider(int batch, int c, int h, int w, int o, int kh, int kw,
                                                                  int sh, int sw, int ph, int pw)
    {
        var shape = new Conv2dShape(c, h, w, o, kh, kw, sh, sw, ph, pw);
        var rng = new Random(batch * 1000 + c * 100 + o);
        float[] x = FiniteDifference.Random(rng, batch * shape.InputSize);
        float[] weights = FiniteDifference.Random(rng, shape.WeightSize);
        float[] bias = FiniteDifference.Random(rng, o);
        float[] dy = FiniteDifference.Random(rng, batch * shape.OutputSize);
        double[] yRef = DoubleForward.Conv2d(ToDouble(x), ToDouble(weights), ToDouble(bias), batch, shape);
        (double[] dxRef, double[] dwRef, double[] dbRef) = NaiveBackward(x, weights, dy, batch, shape);
        string label = shape.ToString();
        foreach (IBlas blas in TestProviders.All())
        {
            foreach (Conv2dAlgorithm algorithm in Conv2dReferenceRunner.Algorithms(shape))
            {
                string name = $"{label} {algorithm} {TestProviders.Label(blas)}";
                float[] y = new float[batch * shape.OutputSize], workspace = new float[Conv2d.WorkspaceSize(shape, batch)];
                y.AsSpan().Fill(float.NaN);
                Conv2d.Forward(blas, x, weights, bias, y, workspace, batch, shape, algorithm);
                RefJson.Compare(name, "y", yRef, y, shape.FanIn + 1);
                float[] dx = new float[x.Length], dw = new float[weights.Length], db = new float[o];
                dx.AsSpan().Fill(float.NaN);
                Conv2d.Backward(blas, x, weights, dy, dx, dw, db, workspace, batch, shape, dxBeta: 0f, algorithm);
                RefJson.Compare(name, "dx", dxRef, dx, o * kh * kw);
                RefJson.Compare(name, "dW", dwRef, dw, batch * shape.OutPlane);
                RefJson.Compare(name, "db", dbRef, db, batch * shape.OutPlane);
            }
        }
    }

    [Theory]
    [InlineData(Conv2dAlgorithm.Im2col)]
    [InlineData(Conv2dAlgorithm.Direct)]
    public void BackwardAccumulatesDwDbAndDxUnlessDxBetaIsZero(Conv2dAlgorithm algorithm)
    {
        var shape = new Conv2dShape(3, 10, 11, 5, 3, 3);
        var rng = new Random(8);
        int batch = 2;
        float[] x = FiniteDifference.Random(rng, batch * shape.InputSize), weights = FiniteDifference.Random(rng, shape.WeightSize);
        float[] dy = FiniteDifference.Random(rng, batch * shape.OutputSize), workspace = new float[Conv2d.WorkspaceSize(shape, batch)];
        float[] dx = new float[x.Length], dw = new float[weights.Length], db = new float[5];
        var blas = new ManagedBlas();
        Conv2d.Backward(blas, x, weights, dy, dx, dw, db, workspace, batch, shape, 1f, algorithm);
        float[] dxOnce = (float[])dx.Clone(), dwOnce = (float[])dw.Clone(), dbOnce = (float[])db.Clone();
        Conv2d.Backward(blas, x, weights, dy, dx, dw, db, workspace, batch, shape, 1f, algorithm);
        // Sums that start from the first pass's values round differently from 2 × once: equal to float precision.
        AssertClose(dxOnce, 2, dx);
        AssertClose(dwOnce, 2, dw);
        AssertClose(dbOnce, 2, db);
        Conv2d.Backward(blas, x, weights, dy, dx, dw, db, workspace, batch, shape, 0f, algorithm);
        Assert.Equal(dxOnce, dx);   // overwritten: the same sums from zero, bit for bit
        Conv2d.Backward(blas, x, weights, dy, [], dw, db, workspace, batch, shape, 0f, algorithm);   // dx skipped
        AssertClose(dwOnce, 4, dw);
        AssertClose(dbOnce, 4, db);
    }

    [Theory]
    [InlineData(8, 8, 3, 3, 2, 2, 0, 0)]   // the last row and column: (8 − 3) is odd
    [InlineData(7, 7, 2, 2, 3, 3, 0, 0)]   // stride 3 > kernel 2: rows 2, 5, 6 and columns 2, 5, 6
    [InlineData(9, 6, 3, 2, 4, 3, 1, 0)]   // per axis, with padding
    public void InputThatNoWindowReachesGetsExactlyZero(int h, int w, int kh, int kw, int sh, int sw, int ph, int pw)
    {
        var shape = new Conv2dShape(2, h, w, 3, kh, kw, sh, sw, ph, pw);
        bool[] rows = Conv2dReferenceRunner.Reached(h, kh, sh, ph, shape.OutHeight);
        bool[] cols = Conv2dReferenceRunner.Reached(w, kw, sw, pw, shape.OutWidth);
        Assert.Contains(false, rows.Concat(cols));   // the case has such input
        var rng = new Random(h * w);
        int batch = 2;
        float[] x = FiniteDifference.Random(rng, batch * shape.InputSize), dy = FiniteDifference.Random(rng, batch * shape.OutputSize);
        foreach (IBlas blas in TestProviders.All())
        {
            var layer = new Conv2dLayer("conv1", blas, shape, batch);
            FiniteDifference.Random(rng, shape.WeightSize).CopyTo(layer.Weight);
            float[] dx = new float[x.Length];
            dx.AsSpan().Fill(float.NaN);   // the layer overwrites dx, unreached entries included
            layer.Forward(x, batch);
            layer.Backward(dy, dx, batch);
            for (int i = 0; i < dx.Length; i++)
            {
                int col = i % w, row = i / w % h;
                if (!rows[row] || !cols[col])
                {
                    Assert.True(dx[i] == 0f, $"{TestProviders.Label(blas)}: dx at row {row}, column {col} is {dx[i]} but no window reaches it.");
                }
                else
                {
                    Assert.True(float.IsFinite(dx[i]) && dx[i] != 0f, $"{TestProviders.Label(blas)}: dx at row {row}, column {col} is {dx[i]}.");
                }
            }
        }
    }

    [Theory]
    [InlineData(4, 10, 10, 16, 3, 3, 1, 1, 0, 0)]
    [InlineData(3, 7, 9, 4, 3, 3, 2, 2, 1, 1)]
    [InlineData(2, 6, 9, 3, 3, 2, 1, 2, 1, 0)]
    public void LayerGradientsMatchFiniteDifferences(int c, int h, int w, int o, int kh, int kw, int sh, int sw, int ph, int pw)
    {
        var shape = new Conv2dShape(c, h, w, o, kh, kw, sh, sw, ph, pw);
        foreach (int batch in new[] { 1, 3 })
        {
            var rng = new Random(31 + batch);
            var layer = new Conv2dLayer("conv1", new ManagedBlas(), shape, batch);
            Init.Initializers.ApplyConv(Init.InitScheme.TorchDefault, layer.Weight, layer.Bias, c, o, kh, kw, 1.0, rng);
            float[] x = FiniteDifference.Random(rng, batch * shape.InputSize);
            float[] dy = FiniteDifference.Random(rng, batch * shape.OutputSize);
            float[] dx = new float[x.Length];
            layer.Forward(x, batch);
            layer.Backward(dy, dx, batch);
            double Loss() => DoubleReference.Conv2dLoss(layer, x, dy, batch);
            FiniteDifference.AssertGradient("dx", () => x, dx, Loss, LinearGradientTests.Eps, Tolerance);
            FiniteDifference.AssertGradient("dW", () => layer.Weight, layer.WeightGrad, Loss, LinearGradientTests.Eps, Tolerance);
            FiniteDifference.AssertGradient("db", () => layer.Bias, layer.BiasGrad, Loss, LinearGradientTests.Eps, Tolerance);
        }
    }

    [Fact]
    public void ShapesTorchRejectsAreRejectedWithTheSizes()
    {
        var e = Assert.Throws<ArgumentException>(() => new Conv2dShape(4, 10, 10, 16, 11, 3));
        Assert.Contains("kernelH is 11 but the padded input is only 10", e.Message);
        e = Assert.Throws<ArgumentException>(() => new Conv2dShape(4, 10, 2, 16, 3, 3));
        Assert.Contains("kernelW is 3 but the padded input is only 2", e.Message);
        Assert.Equal(2, new Conv2dShape(4, 10, 2, 16, 3, 3, paddingW: 1).OutWidth);   // padding makes it fit
        Assert.Throws<ArgumentOutOfRangeException>(() => new Conv2dShape(4, 10, 10, 16, 3, 3, strideH: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Conv2dShape(4, 10, 10, 16, 3, 3, paddingW: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Conv2dShape(0, 10, 10, 16, 3, 3));
        Assert.Throws<ArgumentException>(() => Conv2d.Resolve(Conv2dAlgorithm.Direct, new Conv2dShape(4, 10, 10, 16, 3, 3, 2, 2)));
        Assert.Equal(Conv2dAlgorithm.Direct, Conv2d.Resolve(Conv2dAlgorithm.Auto, new Conv2dShape(4, 10, 10, 16, 3, 3)));
        Assert.Equal(Conv2dAlgorithm.Direct, Conv2d.Resolve(Conv2dAlgorithm.Auto, new Conv2dShape(4, 10, 10, 16, 3, 3, 1, 1, 1, 1)));
        Assert.Equal(Conv2dAlgorithm.Im2col, Conv2d.Resolve(Conv2dAlgorithm.Auto, new Conv2dShape(4, 10, 10, 16, 3, 3, 1, 2)));
        Assert.Equal(Conv2dAlgorithm.Im2col, Conv2d.Resolve(Conv2dAlgorithm.Auto, new Conv2dShape(4, 10, 7, 16, 3, 3)));   // Wo 5
    }

    [Fact]
    public void ShortBuffersAreRejected()
    {
        var shape = new Conv2dShape(4, 10, 10, 16, 3, 3);
        var blas = new ManagedBlas();
        float[] x = new float[shape.InputSize], w = new float[shape.WeightSize], b = new float[16], y = new float[shape.OutputSize];
        float[] ws = new float[Conv2d.WorkspaceSize(shape, 1)];
        Assert.Throws<ArgumentException>(() => Conv2d.Forward(blas, x, w, b, y.AsSpan(1), ws, 1, shape));
        Assert.Throws<ArgumentException>(() => Conv2d.Forward(blas, x, w, b, y, ws, 2, shape));
        Assert.Throws<ArgumentException>(() => Conv2d.Forward(blas, x, w, b, y, ws.AsSpan(1), 1, shape, Conv2dAlgorithm.Im2col));
        Assert.Throws<ArgumentException>(() => Conv2d.Backward(blas, x, w, y, x.AsSpan(1), w, b, ws, 1, shape));
    }

    private static void AssertClose(float[] once, int times, float[] actual)
    {
        double scale = once.Max(v => Math.Abs(v));
        for (int i = 0; i < once.Length; i++)
        {
            Assert.True(Math.Abs(actual[i] - times * once[i]) <= 1e-6 * times * scale,
                $"[{i}] is {actual[i]} after {times} passes of {once[i]}.");
        }
    }

    /// <summary>FORMAT.md's backward formulas in double, read off the definitions (no patch matrix, no tiles).</summary>
    private static (double[] Dx, double[] Dw, double[] Db) NaiveBackward(float[] x, float[] w, float[] dy, int batch, Conv2dShape s)
    {
        var dx = new double[x.Length];
        var dw = new double[w.Length];
        var db = new double[s.OutChannels];
        for (int n = 0; n < batch; n++)
        {
            for (int o = 0; o < s.OutChannels; o++)
            {
                for (int i = 0; i < s.OutHeight; i++)
                {
                    for (int j = 0; j < s.OutWidth; j++)
                    {
                        double g = dy[((n * s.OutChannels + o) * s.OutHeight + i) * s.OutWidth + j];
                        db[o] += g;
                        for (int c = 0; c < s.InChannels; c++)
                        {
                            for (int u = 0; u < s.KernelH; u++)
                            {
                                for (int v = 0; v < s.KernelW; v++)
                                {
                                    int r = i * s.StrideH + u - s.PaddingH, col = j * s.StrideW + v - s.PaddingW;
                                    if (r < 0 || r >= s.Height || col < 0 || col >= s.Width)
                                    {
                                        continue;
                                    }
                                    int xi = ((n * s.InChannels + c) * s.Height + r) * s.Width + col;
                                    int wi = ((o * s.InChannels + c) * s.KernelH + u) * s.KernelW + v;
                                    dw[wi] += g * x[xi];
                                    dx[xi] += g * w[wi];
                                }
                            }
                        }
                    }
                }
            }
        }
        return (dx, dw, db);
    }

    private static double[] ToDouble(float[] values) => Array.ConvertAll(values, v => (double)v);
}
