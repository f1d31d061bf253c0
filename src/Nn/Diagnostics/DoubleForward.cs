using DqnStudy.Nn.Kernels;
using DqnStudy.Nn.Layers;
using DqnStudy.Nn.Losses;

namespace DqnStudy.Nn.Diagnostics;

/// <summary>
/// float64 re-implementations of the forward passes the gradient checker differentiates numerically (the study's
/// subjects and the kernel, layer and network tests alike), on float64
/// copies of the parameters (CS231n's "gradient check in double"): a perturbation is exact, whatever the step and the
/// weight's magnitude, and the forward adds no float rounding of its own. Allocating is fine here: this is a
/// diagnostic, not a hot path.
/// </summary>
public static class DoubleForward
{
    /// <summary>The network's parameters as float64 arrays, one per tensor in <see cref="ParameterBlock.Views"/> order.</summary>
    public static double[][] Parameters(Mlp network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return [.. network.Parameters.Views.Select(v => ToDouble(network.Parameters.ValuesOf(v)))];
    }

    public static double[] ToDouble(ReadOnlySpan<float> values)
    {
        var copy = new double[values.Length];
        for (int i = 0; i < values.Length; i++) copy[i] = values[i];
        return copy;
    }

    /// <summary>x:(batch, InputSize) → (batch, OutputSize) through the network's convolution, flatten, dense and
    /// activation layers; `parameters` as <see cref="Parameters"/> gives them (named conv1.weight, fc1.bias, …).</summary>
    public static double[] Mlp(Mlp network, IReadOnlyList<double[]> parameters, double[] x, int batch, List<bool>? kinkSides,
                               FloatSlopes? slopes = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(x);
        Shapes.Require(x, batch * network.InputSize, nameof(x));
        var views = network.Parameters.Views;
        double[] Tensor(string name) => parameters[views.ToList().FindIndex(v => v.Name == name)];
        double[] h = x;
        foreach (ILayer layer in network.Layers)
        {
            h = layer switch
            {
                Dense dense => Linear(h, Tensor(dense.Name + ".weight"), Tensor(dense.Name + ".bias"), batch, dense.InputSize, dense.OutputSize),
                Conv2dLayer conv => Conv2d(h, Tensor(conv.Name + ".weight"), Tensor(conv.Name + ".bias"), batch, conv.Shape),
                FlattenLayer => h,   // (B, C, H, W) row-major is already (B, C·H·W)
                ActivationLayer activation => Activate(h, activation.Function, activation.Slope, kinkSides, slopes),
                _ => throw new NotSupportedException($"{layer.Name}: no float64 forward for {layer.GetType().Name}."),
            };
        }
        return h;
    }

    /// <summary>torch.nn.Conv2d (cross-correlation, zero padding): x:(B, C, H, W)  w:(Out, C, kH, kW)  b:(Out)  y:(B, Out, oH, oW).</summary>
    public static double[] Conv2d(double[] x, ReadOnlySpan<double> w, ReadOnlySpan<double> b, int batch, Conv2dShape s)
    {
        var y = new double[batch * s.OutputSize];
        for (int n = 0; n < batch; n++)
        {
            for (int o = 0; o < s.OutChannels; o++)
            {
                for (int oy = 0; oy < s.OutHeight; oy++)
                {
                    for (int ox = 0; ox < s.OutWidth; ox++)
                    {
                        double sum = b[o];
                        for (int c = 0; c < s.InChannels; c++)
                        {
                            for (int ky = 0; ky < s.KernelH; ky++)
                            {
                                int iy = oy * s.StrideH - s.PaddingH + ky;
                                if (iy < 0 || iy >= s.Height) continue;
                                for (int kx = 0; kx < s.KernelW; kx++)
                                {
                                    int ix = ox * s.StrideW - s.PaddingW + kx;
                                    if (ix < 0 || ix >= s.Width) continue;
                                    sum += x[((n * s.InChannels + c) * s.Height + iy) * s.Width + ix]
                                         * w[((o * s.InChannels + c) * s.KernelH + ky) * s.KernelW + kx];
                                }
                            }
                        }
                        y[((n * s.OutChannels + o) * s.OutHeight + oy) * s.OutWidth + ox] = sum;
                    }
                }
            }
        }
        return y;
    }

    /// <summary>y = x·wᵀ + b.  x:(B,In)  w:(Out,In)  b:(Out)  y:(B,Out).</summary>
    public static double[] Linear(double[] x, ReadOnlySpan<double> w, ReadOnlySpan<double> b, int batch, int inFeatures, int outFeatures)
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

    /// <summary>
    /// The activation in float64, except where float32 cannot resolve its slope: a sigmoid within 2⁻¹⁴ of 1 (tanh: of
    /// ±1) has its float32 derivative s(1 − s) (1 − t²) from a 1 − s quantised in steps of 2⁻²⁴, off by more than 0.1%
    /// and by 100% once s rounds to 1. There the forward follows the float32 network's own slope: the unit is linear
    /// through its value at the unperturbed parameters with the slope the float32 kernel's output gives
    /// (<paramref name="slopes"/> records both on the first call and replays them on the next), so the check compares
    /// backprop with the derivative of the function the float32 network differentiates, not with a slope float32
    /// cannot represent. Which units are in that band is recorded as a kink side: a perturbation that moves one into or
    /// out of it is skipped like one that crosses a ReLU's 0.
    /// </summary>
    public static double[] Activate(double[] x, Activation function, float slope, List<bool>? kinkSides, FloatSlopes? slopes = null)
    {
        var y = new double[x.Length];
        Span<float> single = stackalloc float[1];
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
            else if (function is Activation.Sigmoid or Activation.Tanh)
            {
                single[0] = (float)v;
                if (function == Activation.Sigmoid) System.Numerics.Tensors.TensorPrimitives.Sigmoid(single, single);
                else System.Numerics.Tensors.TensorPrimitives.Tanh(single, single);
                float f = single[0];
                bool unresolved = MathF.Abs(f) >= 1f - Unresolved;
                if (slopes is not null && unresolved)
                {
                    double floatSlope = function == Activation.Sigmoid ? (double)(f * (1f - f)) : (double)(1f - f * f);
                    (double v0, double y0, double s0) = slopes.Next(v, y[i], floatSlope);
                    y[i] = y0 + s0 * (v - v0);
                }
                else slopes?.Skip();
                kinkSides?.Add(unresolved);
            }
        }
        return y;
    }

    /// <summary>2⁻¹⁴: an activation this close to its bound has a float32 slope off by more than 0.1%.</summary>
    private const float Unresolved = 1f / 16384;

    /// <summary>torch.nn.RNN(tanh) unrolled: xs (T, B, I) → hs (T, B, H), h0 = 0. Weights as <see cref="Nn.Recurrent.VanillaRnn"/>.</summary>
    public static double[] Rnn(double[] xs, ReadOnlySpan<double> wIh, ReadOnlySpan<double> wHh, ReadOnlySpan<double> bIh,
                               ReadOnlySpan<double> bHh, int steps, int batch, int inputSize, int hidden)
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
    public static double[] Lstm(double[] xs, ReadOnlySpan<double> wIh, ReadOnlySpan<double> wHh, ReadOnlySpan<double> bIh,
                                ReadOnlySpan<double> bHh, int steps, int batch, int inputSize, int hidden)
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
        Shapes.Require(q, batch * numActions, nameof(q));
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
    private static double[] Affine(double[] xs, int t, double[] h, ReadOnlySpan<double> wIh, ReadOnlySpan<double> wHh,
                                   ReadOnlySpan<double> bIh, ReadOnlySpan<double> bHh, int batch, int inputSize, int hidden, int rows)
    {
        var a = new double[batch * rows];
        for (int n = 0; n < batch; n++)
        {
            int x0 = (t * batch + n) * inputSize;
            for (int r = 0; r < rows; r++)
            {
                double sum = bIh[r] + bHh[r];
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
}
