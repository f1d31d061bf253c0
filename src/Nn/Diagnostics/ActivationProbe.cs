using DqnStudy.Nn.Layers;

namespace DqnStudy.Nn.Diagnostics;

/// <summary>
/// Runs an <see cref="Mlp"/> forward over a probe set in chunks of its MaxBatch and measures every ReLU,
/// leaky-ReLU, sigmoid and tanh layer (identity layers are skipped): dead and inactive shares for the
/// ReLU family, mean local gradient and saturated share for sigmoid/tanh. All buffers are allocated
/// here; <see cref="Run"/> allocates nothing. The forward overwrites the network's caches: run it
/// between updates, never between an update's Forward and Backward.
/// </summary>
public sealed class ActivationProbe
{
    private readonly Mlp network;
    private readonly int[] layerIndex;         // index into network.Layers of each measured activation
    private readonly ActivationStats[] stats;
    private readonly bool[][] everActive;      // [k][unit]: pre-activation > 0 on some probe state
    private readonly double saturationThreshold;

    /// <param name="saturationThreshold">A sigmoid/tanh unit is saturated on a state when its local gradient
    /// divided by the function's maximum (0.25, 1) is below this, in (0, 1).</param>
    public ActivationProbe(Mlp network, double saturationThreshold)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (!(saturationThreshold > 0 && saturationThreshold < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(saturationThreshold), saturationThreshold, "saturationThreshold must be in (0, 1).");
        }
        this.network = network;
        this.saturationThreshold = saturationThreshold;
        var indices = new List<int>();
        var list = new List<ActivationStats>();
        for (int i = 0; i < network.Layers.Count; i++)
        {
            if (network.Layers[i] is ActivationLayer act && act.Function != Activation.Identity)
            {
                string after = i > 0 && network.Layers[i - 1] is IWeightedLayer weighted ? weighted.Name : "";
                int maps = i > 0 && network.Layers[i - 1] is Conv2dLayer conv ? conv.Shape.OutChannels : 0;
                indices.Add(i);
                list.Add(new ActivationStats(act.Name, after, act.Function, act.OutputSize, maps));
            }
        }
        layerIndex = [.. indices];
        stats = [.. list];
        everActive = stats.Select(s => new bool[s.Units]).ToArray();
    }

    public double SaturationThreshold => saturationThreshold;

    /// <summary>One entry per measured activation layer, in network order; refreshed by <see cref="Run"/>.</summary>
    public IReadOnlyList<ActivationStats> Layers => stats;

    /// <summary>states: (count, InputSize) row-major, count ≥ 1. Forwards them MaxBatch at a time.</summary>
    public void Run(ReadOnlySpan<float> states, int count)
    {
        Shapes.RequirePositive(count, nameof(count));
        int inputSize = network.InputSize;
        Shapes.Require(states, count * inputSize, nameof(states));

        Span<long> inactive = stackalloc long[stats.Length];
        Span<long> saturated = stackalloc long[stats.Length];
        Span<double> localSum = stackalloc double[stats.Length];
        foreach (bool[] units in everActive) Array.Clear(units);

        for (int start = 0; start < count; start += network.MaxBatch)
        {
            int batch = Math.Min(network.MaxBatch, count - start);
            ReadOnlySpan<float> chunk = states.Slice(start * inputSize, batch * inputSize);
            network.Forward(chunk, batch);
            for (int k = 0; k < stats.Length; k++)
            {
                int i = layerIndex[k];
                int units = stats[k].Units;
                // x: (batch, units) pre-activation = the previous layer's output (or the probe input itself).
                ReadOnlySpan<float> x = i == 0 ? chunk : network.Layers[i - 1].Output[..(batch * units)];
                // z: (batch, units) the activation's output.
                ReadOnlySpan<float> z = network.Layers[i].Output[..(batch * units)];
                if (stats[k].IsReluFamily)
                {
                    inactive[k] += CountInactive(x, everActive[k], batch, units);
                }
                else
                {
                    saturated[k] += AccumulateLocalGradient(z, stats[k].Function, saturationThreshold, ref localSum[k]);
                }
            }
        }

        for (int k = 0; k < stats.Length; k++)
        {
            double pairs = (double)count * stats[k].Units;
            if (stats[k].IsReluFamily)
            {
                int dead = 0;
                foreach (bool active in everActive[k]) dead += active ? 0 : 1;
                stats[k].DeadShare = (double)dead / stats[k].Units;
                DeadShareByMap(everActive[k], stats[k].DeadShareByMap);
                stats[k].InactiveShare = inactive[k] / pairs;
            }
            else
            {
                stats[k].MeanLocalGradient = localSum[k] / pairs;
                stats[k].SaturatedShare = saturated[k] / pairs;
            }
        }
    }

    /// <summary>Units are (map, position) in NCHW order: map m owns the m-th block of Units / maps.</summary>
    private static void DeadShareByMap(ReadOnlySpan<bool> everActive, Span<double> shares)
    {
        if (shares.IsEmpty) return;
        int positions = everActive.Length / shares.Length;
        for (int m = 0; m < shares.Length; m++)
        {
            int dead = 0;
            foreach (bool active in everActive.Slice(m * positions, positions)) dead += active ? 0 : 1;
            shares[m] = (double)dead / positions;
        }
    }

    /// <summary>Counts x ≤ 0 and marks units with some x > 0. x: (batch, units).</summary>
    private static long CountInactive(ReadOnlySpan<float> x, Span<bool> everActive, int batch, int units)
    {
        long inactive = 0;
        for (int n = 0; n < batch; n++)
        {
            ReadOnlySpan<float> row = x.Slice(n * units, units);
            for (int u = 0; u < units; u++)
            {
                // "≤ 0" and not "> 0" negated: a NaN pre-activation is neither active nor counted inactive.
                if (row[u] > 0f) everActive[u] = true;
                else if (row[u] <= 0f) inactive++;
            }
        }
        return inactive;
    }

    /// <summary>Adds the local gradient of each z to sum; returns how many are below threshold·max.</summary>
    private static long AccumulateLocalGradient(ReadOnlySpan<float> z, Activation function, double threshold, ref double sum)
    {
        double max = ActivationStats.MaxLocalGradientOf(function);
        double below = threshold * max;
        long saturated = 0;
        foreach (float value in z)
        {
            double local = function == Activation.Sigmoid ? value * (1.0 - value) : 1.0 - (double)value * value;
            sum += local;
            if (local < below) saturated++;
        }
        return saturated;
    }
}
