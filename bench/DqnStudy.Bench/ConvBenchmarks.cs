using BenchmarkDotNet.Attributes;
using DqnStudy.Nn.Blas;
using DqnStudy.Nn.Kernels;

namespace DqnStudy.Bench;

/// <summary>The MinAtar convolution alone (batch 32, C×10×10 → 16×8×8, 3×3): forward and the backward without dx, per
/// algorithm; Im2col per provider. Why Auto picks Direct for this shape.
/// Run: ... -- --filter '*ConvBenchmarks*' --job short</summary>
[MemoryDiagnoser]
public class ConvBenchmarks
{
    private IBlas blas = null!;
    private Conv2dShape shape;
    private float[] x = null!, w = null!, b = null!, y = null!, dy = null!, dw = null!, db = null!, workspace = null!;

    [Params("direct", "im2col-managed", "im2col-mkl")]
    public string Kernel { get; set; } = "direct";

    [Params(4, 10)]
    public int Channels { get; set; } = 4;

    private Conv2dAlgorithm Algorithm => Kernel == "direct" ? Conv2dAlgorithm.Direct : Conv2dAlgorithm.Im2col;

    [GlobalSetup]
    public void Setup()
    {
        blas = BlasSelector.Create(Kernel.EndsWith("mkl", StringComparison.Ordinal) ? "mkl" : "managed", threads: 1, reproducible: true).Blas;
        shape = new Conv2dShape(Channels, 10, 10, 16, 3, 3);
        var rng = new Random(1);
        float[] Fill(int n) => [.. Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 2 - 1))];
        x = Fill(32 * shape.InputSize);
        w = Fill(shape.WeightSize);
        b = Fill(16);
        y = new float[32 * shape.OutputSize];
        dy = Fill(32 * shape.OutputSize);
        dw = new float[shape.WeightSize];
        db = new float[16];
        workspace = new float[Conv2d.WorkspaceSize(shape, 32)];
    }

    [Benchmark]
    public void Forward() => Conv2d.Forward(blas, x, w, b, y, workspace, 32, shape, Algorithm);

    [Benchmark]
    public void BackwardNoDx() => Conv2d.Backward(blas, x, w, dy, [], dw, db, workspace, 32, shape, 1f, Algorithm);
}
