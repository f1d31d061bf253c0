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
    private readonly Mlp _network;
    private readonly int[] _layerIndex;         // index into network.Layers of each measured activation
    private readonly ActivationStats[] _stats;
    private readonly bool[][] _everActive;      // [k][unit]: pre-activation > 0 on some probe state
    private readonly double _saturationThreshold;

    /// <param name="saturationThreshold">A sigmoid/tanh unit is saturated on a state when its local gradient
    /// divided by the function's maximum (0.25, 1) is below this, in (0, 1).</param>
    public ActivationProbe(Mlp network, double saturationThreshold)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (!(saturationThreshold > 0 && saturationThreshold < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(saturationThreshold), saturationThreshold, "saturationThreshold must be in (0, 1).");
        }
        _network = network;
        _saturationThreshold = saturationThreshold;
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
        _layerIndex = [.. indices];
        _stats = [.. list];
        _everActive = _stats.Select(s => new bool[s.Units]).ToArray();
    }

    public double SaturationThreshold => _saturationThreshold;

    /// <summary>One entry per measured activation layer, in network order; refreshed by <see cref="Run"/>.</summary>
    public IReadOnlyList<ActivationStats> Layers => _stats;

    /// <summary>states: (count, InputSize) row-major, count ≥ 1. Forwards them MaxBatch at a time.</summary>
    public void Run(ReadOnlySpan<float> states, int count)
    {
        Shapes.RequirePositive(count, nameof(count));
        int inputSize = _network.InputSize;
        Shapes.Require(states, count * inputSize, nameof(states));

        Span<long> inactive = stackalloc long[_stats.Length];
        Span<long> saturated = stackalloc long[_stats.Length];
        Span<double> localSum = stackalloc double[_stats.Length];
        foreach (bool[] units in _everActive) Array.Clear(units);

        for (int start = 0; start < count; start += _network.MaxBatch)
        {
            int batch = Math.Min(_network.MaxBatch, count - start);
            ReadOnlySpan<float> chunk = states.Slice(start * inputSize, batch * inputSize);
            _network.Forward(chunk, batch);
            for (int k = 0; k < _stats.Length; k++)
            {
                int i = _layerIndex[k];
                int units = _stats[k].Units;
                // x: (batch, units) pre-activation = the previous layer's output (or the probe input itself).
                ReadOnlySpan<float> x = i == 0 ? chunk : _network.Layers[i - 1].Output[..(batch * units)];
                // z: (batch, units) the activation's output.
                ReadOnlySpan<float> z = _network.Layers[i].Output[..(batch * units)];
                if (_stats[k].IsReluFamily)
                {
                    inactive[k] += CountInactive(x, _everActive[k], batch, units);
                }
                else
                {
                    saturated[k] += AccumulateLocalGradient(z, _stats[k].Function, _saturationThreshold, ref localSum[k]);
                }
            }
        }

        for (int k = 0; k < _stats.Length; k++)
        {
            double pairs = (double)count * _stats[k].Units;
            if (_stats[k].IsReluFamily)
            {
                int dead = 0;
                foreach (bool active in _everActive[k]) dead += active ? 0 : 1;
                _stats[k].DeadShare = (double)dead / _stats[k].Units;
                DeadShareByMap(_everActive[k], _stats[k].DeadShareByMap);
                _stats[k].InactiveShare = inactive[k] / pairs;
            }
            else
            {
                _stats[k].MeanLocalGradient = localSum[k] / pairs;
                _stats[k].SaturatedShare = saturated[k] / pairs;
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
