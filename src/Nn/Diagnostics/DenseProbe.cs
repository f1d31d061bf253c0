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
    private readonly Mlp network;
    private readonly float[] before;     // (Parameters.Count): θ before the step
    private readonly DenseStats[] stats;
    private bool snapshotTaken;

    public DenseProbe(Mlp network)
    {
        ArgumentNullException.ThrowIfNull(network);
        this.network = network;
        before = new float[network.Parameters.Count];
        stats = network.WeightedLayers.Select(d => new DenseStats(d.Name)).ToArray();
    }

    /// <summary>One entry per weighted layer (<see cref="Mlp.WeightedLayers"/>), in network order.</summary>
    public IReadOnlyList<DenseStats> Layers => stats;

    /// <summary>Records the gradient norms and snapshots the parameters.</summary>
    public void BeforeStep()
    {
        var layers = network.WeightedLayers;
        for (int l = 0; l < layers.Count; l++)
        {
            stats[l].Clear();
            stats[l].WeightGradNorm = Math.Sqrt(Norms.SumOfSquaresSimd(layers[l].WeightGrad));
            stats[l].BiasGradNorm = Math.Sqrt(Norms.SumOfSquaresSimd(layers[l].BiasGrad));
        }
        network.Parameters.Values.CopyTo(before);
        snapshotTaken = true;
    }

    /// <summary>Computes each layer's update ratio against the snapshot from <see cref="BeforeStep"/>.</summary>
    public void AfterStep()
    {
        if (!snapshotTaken)
        {
            throw new InvalidOperationException("AfterStep needs a BeforeStep first (no parameter snapshot).");
        }
        snapshotTaken = false;
        var layers = network.WeightedLayers;
        var views = network.Parameters.Views;
        for (int l = 0; l < layers.Count; l++)
        {
            ParameterView weight = views[2 * l];
            ReadOnlySpan<float> old = before.AsSpan(weight.Offset, weight.Length);
            ReadOnlySpan<float> now = layers[l].Weight;
            double delta = 0, norm = 0;
            for (int i = 0; i < old.Length; i++)
            {
                double d = (double)now[i] - old[i];
                delta += d * d;
                norm += (double)old[i] * old[i];
            }
            stats[l].UpdateRatio = norm > 0 ? Math.Sqrt(delta / norm) : delta > 0 ? double.PositiveInfinity : 0;
        }
    }
}
