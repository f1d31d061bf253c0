namespace DqnStudy.Nn.Diagnostics;

/// <summary>One Dense layer in one measured optimiser step (NaN until measured).</summary>
public sealed class DenseStats
{
    internal DenseStats(string name) => Name = name;

    /// <summary>"fc1".</summary>
    public string Name { get; }

    /// <summary>||dL/dW||₂ (Frobenius) as backprop left it, before any clipping.</summary>
    public double WeightGradNorm { get; internal set; } = double.NaN;

    /// <summary>||dL/db||₂ before any clipping.</summary>
    public double BiasGradNorm { get; internal set; } = double.NaN;

    /// <summary>||W_after − W_before|| / ||W_before|| over the weight matrix (biases often start at 0,
    /// which would make their ratio infinite). Infinity when W_before is all zeros and W moved.</summary>
    public double UpdateRatio { get; internal set; } = double.NaN;

    internal void Clear()
    {
        WeightGradNorm = BiasGradNorm = UpdateRatio = double.NaN;
    }
}
