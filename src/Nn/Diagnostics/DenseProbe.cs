using DqnStudy.Nn.Layers;

namespace DqnStudy.Nn.Diagnostics;

/// <summary>
/// Per weighted layer (Conv2d and Dense) of an <see cref="Mlp"/>: weight and bias gradient norms and the update-to-weight ratio of
/// one optimiser step (Karpathy's heuristic: about 1e-3 is healthy). Call <see cref="BeforeStep"/> after
/// Backward and before clipping and the optimiser, then <see cref="AfterStep"/> after the optimiser.
/// The parameter snapshot is one preallocated copy of the block: neither call allocates.
/// </summary>
public sealed class DenseProbe
{
    private readonly Mlp _network;
    private readonly float[] _before;     // (Parameters.Count): θ before the step
    private readonly DenseStats[] _stats;
    private bool _snapshotTaken;

    public DenseProbe(Mlp network)
    {
        ArgumentNullException.ThrowIfNull(network);
        _network = network;
        _before = new float[network.Parameters.Count];
        _stats = network.WeightedLayers.Select(d => new DenseStats(d.Name)).ToArray();
    }

    /// <summary>One entry per weighted layer (<see cref="Mlp.WeightedLayers"/>), in network order.</summary>
    public IReadOnlyList<DenseStats> Layers => _stats;

    /// <summary>Records the gradient norms and snapshots the parameters.</summary>
    public void BeforeStep()
    {
        var layers = _network.WeightedLayers;
        for (int l = 0; l < layers.Count; l++)
        {
            _stats[l].Clear();
            _stats[l].WeightGradNorm = Math.Sqrt(Norms.SumOfSquaresSimd(layers[l].WeightGrad));
            _stats[l].BiasGradNorm = Math.Sqrt(Norms.SumOfSquaresSimd(layers[l].BiasGrad));
        }
        _network.Parameters.Values.CopyTo(_before);
        _snapshotTaken = true;
    }

    /// <summary>Computes each layer's update ratio against the snapshot from <see cref="BeforeStep"/>.</summary>
    public void AfterStep()
    {
        if (!_snapshotTaken)
        {
            throw new InvalidOperationException("AfterStep needs a BeforeStep first (no parameter snapshot).");
        }
        _snapshotTaken = false;
        var layers = _network.WeightedLayers;
        var views = _network.Parameters.Views;
        for (int l = 0; l < layers.Count; l++)
        {
            ParameterView weight = views[2 * l];
            ReadOnlySpan<float> old = _before.AsSpan(weight.Offset, weight.Length);
            ReadOnlySpan<float> now = layers[l].Weight;
            double delta = 0;
            for (int i = 0; i < old.Length; i++)
            {
                double d = (double)now[i] - old[i];
                delta += d * d;
            }
            double norm = Norms.SumOfSquares(old);
            _stats[l].UpdateRatio = norm > 0 ? Math.Sqrt(delta / norm) : delta > 0 ? double.PositiveInfinity : 0;
        }
    }
}
