using DqnStudy.Nn.Kernels;
using DqnStudy.Nn.Layers;

namespace DqnStudy.Nn.Tests.Kernels;

/// <summary>
/// An independent float64 forward pass (STYLE.md: "a double copy of the managed kernel") reading the float
/// parameters the core holds. Finite differences of it carry no float32 rounding noise, so gradient checks can
/// use a small eps and a tight tolerance, and small gradient entries are judged fairly.
/// </summary>
public static class DoubleReference
{
    /// <summary>L = Σ f(x)·dy in double, f = the whole network as it stands.</summary>
    public static double MlpLoss(Mlp mlp, ReadOnlySpan<float> x, ReadOnlySpan<float> dy, int batch)
    {
        double[] h = ToDouble(x[..(batch * mlp.InputSize)]);
        int width = mlp.InputSize, dense = 0, conv = 0;
        foreach (LayerSpec spec in mlp.Specs)
        {
            switch (spec.Kind)
            {
                case LayerKind.Dense:
                    Dense layer = mlp.DenseLayers[dense++];
                    h = DenseForward(h, layer.Weight, layer.Bias, batch, width, spec.OutputSize);
                    width = spec.OutputSize;
                    break;
                case LayerKind.Conv2d:
                    Conv2dLayer convLayer = mlp.ConvLayers[conv++];
                    h = Conv2dForward(h, convLayer.Weight, convLayer.Bias, batch, convLayer.Shape);
                    width = convLayer.OutputSize;
                    break;
                case LayerKind.Flatten:
                    break;   // NCHW rows are already torch's flattened order
                default:
                    h = Activate(h, spec.Function, spec.Slope);
                    break;
            }
        }
        return Dot(h, dy);
    }

    public static double DenseLoss(Dense layer, ReadOnlySpan<float> x, ReadOnlySpan<float> dy, int batch) =>
        Dot(DenseForward(ToDouble(x[..(batch * layer.InputSize)]), layer.Weight, layer.Bias, batch, layer.InputSize, layer.OutputSize), dy);

    public static double Conv2dLoss(Conv2dLayer layer, ReadOnlySpan<float> x, ReadOnlySpan<float> dy, int batch) =>
        Dot(Conv2dForward(ToDouble(x[..(batch * layer.InputSize)]), layer.Weight, layer.Bias, batch, layer.Shape), dy);

    /// <summary>FORMAT.md's conv2d formula as written: y[n][o][i][j] = b[o] + Σ xp[n][c][i·sH + u][j·sW + v]·W[o][c][u][v].</summary>
    public static double[] Conv2dForward(double[] x, ReadOnlySpan<float> w, ReadOnlySpan<float> b, int batch, Conv2dShape s)
    {
        var y = new double[batch * s.OutputSize];
        for (int n = 0; n < batch; n++)
        {
            for (int o = 0; o < s.OutChannels; o++)
            {
                for (int i = 0; i < s.OutHeight; i++)
                {
                    for (int j = 0; j < s.OutWidth; j++)
                    {
                        double sum = b[o];
                        for (int c = 0; c < s.InChannels; c++)
                        {
                            for (int u = 0; u < s.KernelH; u++)
                            {
                                for (int v = 0; v < s.KernelW; v++)
                                {
                                    int r = i * s.StrideH + u - s.PaddingH, col = j * s.StrideW + v - s.PaddingW;
                                    if (r >= 0 && r < s.Height && col >= 0 && col < s.Width)
                                    {
                                        sum += x[((n * s.InChannels + c) * s.Height + r) * s.Width + col]
                                               * w[((o * s.InChannels + c) * s.KernelH + u) * s.KernelW + v];
                                    }
                                }
                            }
                        }
                        y[((n * s.OutChannels + o) * s.OutHeight + i) * s.OutWidth + j] = sum;
                    }
                }
            }
        }
        return y;
    }

    public static double ActivationLoss(Activation function, float slope, ReadOnlySpan<float> x, ReadOnlySpan<float> dy) =>
        Dot(Activate(ToDouble(x), function, slope), dy);

    private static double[] DenseForward(double[] x, ReadOnlySpan<float> w, ReadOnlySpan<float> b, int batch, int inFeatures, int outFeatures)
    {
        var y = new double[batch * outFeatures];
        for (int n = 0; n < batch; n++)
        {
            for (int o = 0; o < outFeatures; o++)
            {
                double sum = b[o];
                for (int i = 0; i < inFeatures; i++)
                {
                    sum += x[n * inFeatures + i] * w[o * inFeatures + i];
                }
                y[n * outFeatures + o] = sum;
            }
        }
        return y;
    }

    private static double[] Activate(double[] x, Activation function, float slope) =>
        [.. x.Select(v => function switch
        {
            Activation.Identity => v,
            Activation.Relu => Math.Max(0, v),
            Activation.LeakyRelu => v > 0 ? v : slope * v,
            Activation.Sigmoid => 1 / (1 + Math.Exp(-v)),
            Activation.Tanh => Math.Tanh(v),
            _ => throw new ArgumentOutOfRangeException(nameof(function)),
        })];

    private static double Dot(double[] y, ReadOnlySpan<float> dy)
    {
        Assert.Equal(y.Length, dy.Length);
        double sum = 0;
        for (int i = 0; i < y.Length; i++)
        {
            sum += y[i] * dy[i];
        }
        return sum;
    }

    private static double[] ToDouble(ReadOnlySpan<float> x)
    {
        var d = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            d[i] = x[i];
        }
        return d;
    }
}
