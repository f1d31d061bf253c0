using System.Text.Json;
using DqnStudy.Nn.Blas;
using DqnStudy.Nn.Kernels;
using DqnStudy.Nn.Layers;
using static DqnStudy.Nn.Tests.ReferenceVectors.RefJson;

namespace DqnStudy.Nn.Tests.ReferenceVectors;

/// <summary>conv2d: y, dx, dW, db of torch.nn.Conv2d through every algorithm that can run the case's shape (the
/// kernel, accumulating) and through Conv2dLayer (dx overwritten). Input rows and columns that no window reaches
/// must get exactly 0.</summary>
public sealed class Conv2dReferenceRunner : IReferenceCaseRunner
{
    public string Kind => "conv2d";

    public double Run(JsonElement c, IBlas blas)
    {
        string name = Name(c);
        int batch = Int(c, "batch");
        var shape = new Conv2dShape(Int(c, "in_channels"), Int(c, "height"), Int(c, "width"), Int(c, "out_channels"),
                                    Int(c, "kernel_h"), Int(c, "kernel_w"), Int(c, "stride_h"), Int(c, "stride_w"),
                                    Int(c, "padding_h"), Int(c, "padding_w"));
        Assert.Equal(Int(c, "out_height"), shape.OutHeight);
        Assert.Equal(Int(c, "out_width"), shape.OutWidth);
        float[] x = Floats(c, "x"), w = Floats(c, "W"), b = Floats(c, "b"), dy = Floats(c, "dy");
        double worst = 0;
        foreach (Conv2dAlgorithm algorithm in Algorithms(shape))
        {
            string label = $"{name} ({algorithm})";
            float[] y = new float[batch * shape.OutputSize];
            float[] workspace = new float[Conv2d.WorkspaceSize(shape, batch)];
            y.AsSpan().Fill(float.NaN);   // every output must be written
            Conv2d.Forward(blas, x, w, b, y, workspace, batch, shape, algorithm);
            worst = Math.Max(worst, CompareResults(label, c, shape, batch, y, null, null, null));

            // The kernel accumulates: start dx, dW, db from a known offset and take it away after.
            float[] dx = Filled(batch * shape.InputSize, 0.5f), dw = Filled(shape.WeightSize, 0.25f), db = Filled(shape.OutChannels, -1f);
            Conv2d.Backward(blas, x, w, dy, dx, dw, db, workspace, batch, shape, dxBeta: 1f, algorithm);
            Subtract(dx, 0.5f);
            Subtract(dw, 0.25f);
            Subtract(db, -1f);
            worst = Math.Max(worst, CompareResults(label, c, shape, batch, null, dx, dw, db));
        }

        var layer = new Conv2dLayer("conv1", blas, shape, batch);
        w.CopyTo(layer.Weight);
        b.CopyTo(layer.Bias);
        float[] layerDx = Filled(batch * shape.InputSize, float.NaN);   // the layer overwrites dx
        ReadOnlySpan<float> layerY = layer.Forward(x, batch);
        worst = Math.Max(worst, CompareResults(name + " (layer)", c, shape, batch, layerY.ToArray(), null, null, null));
        layer.Backward(dy, layerDx, batch);
        worst = Math.Max(worst, CompareResults(name + " (layer)", c, shape, batch, null, layerDx, layer.WeightGrad.ToArray(), layer.BiasGrad.ToArray()));
        UnreachedInputGetsExactlyZero(name, c, shape, batch, layerDx);
        return worst;
    }

    /// <summary>Im2col always; Direct where its conditions hold (Auto is one of the two).</summary>
    public static IEnumerable<Conv2dAlgorithm> Algorithms(Conv2dShape shape) =>
        Conv2d.DirectApplies(shape) ? [Conv2dAlgorithm.Im2col, Conv2dAlgorithm.Direct] : [Conv2dAlgorithm.Im2col];

    private static double CompareResults(string label, JsonElement c, Conv2dShape s, int batch,
                                         float[]? y, float[]? dx, float[]? dw, float[]? db)
    {
        double worst = 0;
        int windowsPerInput = s.OutChannels * ((s.KernelH + s.StrideH - 1) / s.StrideH) * ((s.KernelW + s.StrideW - 1) / s.StrideW);
        if (y is not null)
        {
            worst = Math.Max(worst, Compare(label, "y", Doubles(c, "y"), y, s.FanIn + 1, OwnScale));
        }
        if (dx is not null)
        {
            worst = Math.Max(worst, Compare(label, "dx", Doubles(c, "dx"), dx, windowsPerInput, OwnScale));
        }
        if (dw is not null)
        {
            worst = Math.Max(worst, Compare(label, "dW", Doubles(c, "dW"), dw, batch * s.OutPlane, OwnScale));
        }
        if (db is not null)
        {
            worst = Math.Max(worst, Compare(label, "db", Doubles(c, "db"), db, batch * s.OutPlane, OwnScale));
        }
        return worst;
    }

    /// <summary>Where the geometry says no window covers an input row or column, dx is exactly 0 (ours and the reference's).</summary>
    private static void UnreachedInputGetsExactlyZero(string name, JsonElement c, Conv2dShape s, int batch, float[] dx)
    {
        bool[] rows = Reached(s.Height, s.KernelH, s.StrideH, s.PaddingH, s.OutHeight);
        bool[] cols = Reached(s.Width, s.KernelW, s.StrideW, s.PaddingW, s.OutWidth);
        double[] expected = Doubles(c, "dx");
        for (int i = 0; i < dx.Length; i++)
        {
            int col = i % s.Width, row = i / s.Width % s.Height;
            if (!rows[row] || !cols[col])
            {
                Assert.True(expected[i] == 0.0, $"{name}: the reference dx[{i}] is {expected[i]} at an input no window reaches.");
                Assert.True(dx[i] == 0f, $"{name}: dx[{i}] (row {row}, column {col}) is {dx[i]} but no window reaches it.");
            }
        }
    }

    public static bool[] Reached(int size, int kernel, int stride, int padding, int outSize)
    {
        var reached = new bool[size];
        for (int i = 0; i < outSize; i++)
        {
            for (int u = 0; u < kernel; u++)
            {
                int r = i * stride + u - padding;
                if (r >= 0 && r < size)
                {
                    reached[r] = true;
                }
            }
        }
        return reached;
    }

    private static float[] Filled(int count, float value)
    {
        var values = new float[count];
        values.AsSpan().Fill(value);
        return values;
    }

    private static void Subtract(float[] values, float offset)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] -= offset;
        }
    }
}
