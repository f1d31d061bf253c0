namespace DqnStudy.Nn.Layers;

/// <summary>
/// One step of a network with a paired Forward/Backward. A layer owns its output buffer (sized for its
/// maximum batch) and caches what Backward needs; Backward accumulates parameter gradients (+=) and
/// overwrites dx. Callers zero gradients once per optimiser step.
/// </summary>
public interface ILayer
{
    /// <summary>"fc1", "act1", ...: the prefix of the layer's parameter names.</summary>
    string Name { get; }

    int InputSize { get; }

    int OutputSize { get; }

    /// <summary>x:(batch, InputSize) → (batch, OutputSize), a view of <see cref="Output"/>.</summary>
    ReadOnlySpan<float> Forward(ReadOnlySpan<float> x, int batch);

    /// <summary>dy:(batch, OutputSize)  dx:(batch, InputSize), overwritten; dx may be empty when the
    /// input gradient is not needed. Uses the caches of the last Forward.</summary>
    void Backward(ReadOnlySpan<float> dy, Span<float> dx, int batch);

    /// <summary>The last forward output: the first batch·OutputSize elements are valid.</summary>
    ReadOnlySpan<float> Output { get; }
}
