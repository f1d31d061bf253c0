using DqnStudy.Nn.Layers;
using DqnStudy.Nn.Losses;

namespace DqnStudy.Agent.Studies.Gradients;

/// <summary>
/// float64 re-implementations of the forward passes the gradient checker differentiates numerically. They read the
/// float parameters as they are, so a finite difference sees only the perturbation, not float rounding of the
/// forward (CS231n's "gradient check in double"). Allocating is fine here: this is a diagnostic, not a hot path.
/// </summary>
public static class DoubleForward
{
    /// <summary>x:(batch, InputSize) → (batch, OutputSize) through the network's Conv2d, flatten, Dense and activation layers.</summary>
    public static double[] Mlp(Mlp network, double[] x, int batch, List<bool>? kinkSides)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(x);
        RequireLength(x, batch * network.InputSize, nameof(x));
        double[] h = x;
        foreach (ILayer layer in network.Layers)
        {
            h = layer switch
            {
                Dense dense => Linear(h, dense.Weight, dense.Bias, batch, dense.InputSize, dense.OutputSize),
                Conv2dLayer conv => Conv2d(h, conv.Weight, conv.Bias, batch, conv.Shape),
                FlattenLayer => h,   // NCHW rows are already torch's x.view(B, -1) order
                ActivationLayer activation => Activate(h, activation.Function, activation.Slope, kinkSides),
                _ => throw new NotSupportedException($"{layer.Name}: no float64 forward for {layer.GetType().Name}."),
            };
        }
        return h;
    }

    /// <summary>y = x·wᵀ + b.  x:(B,In)  w:(Out,In)  b:(Out)  y:(B,Out).</summary>
    public static double[] Linear(double[] x, ReadOnlySpan<float> w, ReadOnlySpan<float> b, int batch, int inFeatures, int outFeatures)
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

    /// <summary>torch.nn.Conv2d (cross-correlation, zero padding) by its definition: x (B, C, H, W) → y (B, O, Ho, Wo),
    /// w (O, C, kH, kW), one multiply-add per window element, no patch matrix or GEMM.</summary>
    public static double[] Conv2d(double[] x, ReadOnlySpan<float> w, ReadOnlySpan<float> b, int batch, Nn.Kernels.Conv2dShape s)
    {
        var y = new double[batch * s.OutputSize];
        for (int n = 0; n < batch; n++)
            for (int o = 0; o < s.OutChannels; o++)
                for (int oy = 0; oy < s.OutHeight; oy++)
                    for (int ox = 0; ox < s.OutWidth; ox++)
                    {
                        double sum = b[o];
                        for (int c = 0; c < s.InChannels; c++)
                            for (int ky = 0; ky < s.KernelH; ky++)
                            {
                                int iy = oy * s.StrideH - s.PaddingH + ky;
                                if (iy < 0 || iy >= s.Height) continue;
                                for (int kx = 0; kx < s.KernelW; kx++)
                                {
                                    int ix = ox * s.StrideW - s.PaddingW + kx;
                                    if (ix < 0 || ix >= s.Width) continue;
                                    sum += x[n * s.InputSize + (c * s.Height + iy) * s.Width + ix]
                                           * w[((o * s.InChannels + c) * s.KernelH + ky) * s.KernelW + kx];
                                }
                            }
                        y[n * s.OutputSize + (o * s.OutHeight + oy) * s.OutWidth + ox] = sum;
                    }
        return y;
    }

    public static double[] Activate(double[] x, Activation function, float slope, List<bool>? kinkSides)
    {
        var y = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            double v = x[i];
            y[i] = function switch
            {
                Activation.Identity => v,
                Activation.Relu => Math.Max(v, 0),
                Activation.LeakyRelu => v > 0 ? v : slope * v,
                Activation.Sigmoid => 1.0 / (1.0 + Math.Exp(-v)),
                Activation.Tanh => Math.Tanh(v),
                _ => throw new ArgumentOutOfRangeException(nameof(function), function, "Unknown activation."),
            };
            if (function is Activation.Relu or Activation.LeakyRelu)
            {
                kinkSides?.Add(v > 0);
            }
        }
        return y;
    }

    /// <summary>torch.nn.RNN(tanh) unrolled: xs (T, B, I) → hs (T, B, H), h0 = 0. Weights as <see cref="Nn.Recurrent.VanillaRnn"/>.</summary>
    public static double[] Rnn(double[] xs, ReadOnlySpan<float> wIh, ReadOnlySpan<float> wHh, ReadOnlySpan<float> bIh,
                               ReadOnlySpan<float> bHh, int steps, int batch, int inputSize, int hidden)
    {
        var hs = new double[steps * batch * hidden];
        var previous = new double[batch * hidden];
        for (int t = 0; t < steps; t++)
        {
            double[] a = Affine(xs, t, previous, wIh, wHh, bIh, bHh, batch, inputSize, hidden, hidden);
            for (int k = 0; k < a.Length; k++)
            {
                previous[k] = Math.Tanh(a[k]);
            }
            previous.CopyTo(hs, t * batch * hidden);
        }
        return hs;
    }

    /// <summary>torch.nn.LSTM unrolled, gates (i, f, g, o): xs (T, B, I) → hs (T, B, H), h0 = c0 = 0.</summary>
    public static double[] Lstm(double[] xs, ReadOnlySpan<float> wIh, ReadOnlySpan<float> wHh, ReadOnlySpan<float> bIh,
                                ReadOnlySpan<float> bHh, int steps, int batch, int inputSize, int hidden)
    {
        var hs = new double[steps * batch * hidden];
        var h = new double[batch * hidden];
        var c = new double[batch * hidden];
        int width = 4 * hidden;
        for (int t = 0; t < steps; t++)
        {
            double[] a = Affine(xs, t, h, wIh, wHh, bIh, bHh, batch, inputSize, hidden, width);
            for (int n = 0; n < batch; n++)
            {
                for (int j = 0; j < hidden; j++)
                {
                    int row = n * width, k = n * hidden + j;
                    double i = Sigmoid(a[row + j]), f = Sigmoid(a[row + hidden + j]);
                    double g = Math.Tanh(a[row + 2 * hidden + j]), o = Sigmoid(a[row + 3 * hidden + j]);
                    c[k] = f * c[k] + i * g;
                    h[k] = o * Math.Tanh(c[k]);
                }
            }
            h.CopyTo(hs, t * batch * hidden);
        }
        return hs;
    }

    /// <summary>The mean (or sum) TD loss on q[b, actions[b]] against targets, as <see cref="TdLoss"/> defines it.
    /// Records |delta| ≤ loss.Delta as the kink side for every loss but MSE.</summary>
    public static double TdLoss(TdLoss loss, double[] q, ReadOnlySpan<int> actions, ReadOnlySpan<float> targets, int batch,
                                int numActions, List<bool>? kinkSides)
    {
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(q);
        RequireLength(q, batch * numActions, nameof(q));
        double k = loss.Delta, sum = 0;
        for (int n = 0; n < batch; n++)
        {
            double d = targets[n] - q[n * numActions + actions[n]];
            double abs = Math.Abs(d);
            sum += loss.Kind switch
            {
                LossKind.Mse => d * d,
                LossKind.ClippedDelta => Math.Pow(Math.Clamp(d, -k, k), 2),
                _ => abs <= k ? 0.5 * d * d : k * (abs - 0.5 * k),   // Huber; DeepMind's clamp has Huber's value and gradient
            };
            if (loss.Kind != LossKind.Mse)
            {
                kinkSides?.Add(abs <= k);
            }
        }
        return loss.Reduction == LossReduction.Mean ? sum / batch : sum;
    }

    private static double Sigmoid(double v) => 1.0 / (1.0 + Math.Exp(-v));

    // a = x_t·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh for one step: (B, rows).
    private static double[] Affine(double[] xs, int t, double[] h, ReadOnlySpan<float> wIh, ReadOnlySpan<float> wHh,
                                   ReadOnlySpan<float> bIh, ReadOnlySpan<float> bHh, int batch, int inputSize, int hidden, int rows)
    {
        var a = new double[batch * rows];
        for (int n = 0; n < batch; n++)
        {
            int x0 = (t * batch + n) * inputSize;
            for (int r = 0; r < rows; r++)
            {
                double sum = (double)bIh[r] + bHh[r];
                for (int i = 0; i < inputSize; i++)
                {
                    sum += xs[x0 + i] * wIh[r * inputSize + i];
                }
                for (int j = 0; j < hidden; j++)
                {
                    sum += h[n * hidden + j] * wHh[r * hidden + j];
                }
                a[n * rows + r] = sum;
            }
        }
        return a;
    }

    private static void RequireLength(double[] values, int expected, string name)
    {
        if (values.Length < expected)
        {
            throw new ArgumentException($"{name} has {values.Length} elements but {expected} are needed.", name);
        }
    }
}
