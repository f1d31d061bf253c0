namespace DqnStudy.Nn.Layers;

/// <summary>
/// How a network passes outputs along without copying them: every layer here keeps its output in a float[] it owns
/// (a flatten re-exposes its source's), which stays unchanged until that layer's next Forward. A Dense or Conv2d
/// after it can therefore cache a reference to that array for Backward instead of a copy of its input.
/// </summary>
internal static class LayerBuffers
{
    /// <summary>The array a layer's output lives in (null for a layer from outside this assembly).</summary>
    public static float[]? Output(ILayer layer) => layer switch
    {
        Dense dense => dense.OutputBuffer,
        ActivationLayer activation => activation.OutputBuffer,
        Conv2dLayer conv => conv.OutputBuffer,
        FlattenLayer flatten => flatten.OutputBuffer,
        _ => null,
    };

    /// <summary>layer.Forward(x), reading <paramref name="buffer"/> in place when x lives there and the layer keeps its input.</summary>
    public static ReadOnlySpan<float> Forward(ILayer layer, float[]? buffer, ReadOnlySpan<float> x, int batch) => (layer, buffer) switch
    {
        (Dense dense, not null) => dense.ForwardBorrowed(buffer, batch),
        (Conv2dLayer conv, not null) => conv.ForwardBorrowed(buffer, batch),
        _ => layer.Forward(x, batch),
    };
}
