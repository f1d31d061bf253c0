namespace DqnStudy.Nn.Layers;

public enum LayerKind
{
    Dense = 0,
    Activation = 1,
}

/// <summary>One layer of an <see cref="Mlp"/> before it is built: a Dense layer with its output width,
/// or an activation (which keeps the width).</summary>
public sealed record LayerSpec(LayerKind Kind, int OutputSize, Activation Function, float Slope)
{
    public static LayerSpec Dense(int outputSize) => new(LayerKind.Dense, outputSize, Activation.Identity, 0f);

    public static LayerSpec Act(Activation function, float slope = 0.01f) => new(LayerKind.Activation, 0, function, slope);
}
