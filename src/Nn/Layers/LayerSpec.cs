namespace DqnStudy.Nn.Layers;

public enum LayerKind
{
    Dense = 0,
    Activation = 1,
    Conv2d = 2,
    Flatten = 3,
}

/// <summary>A convolution's window per axis: kernel, stride and zero padding (dilation 1).</summary>
public readonly record struct ConvWindow(int KernelH, int KernelW, int StrideH = 1, int StrideW = 1, int PaddingH = 0, int PaddingW = 0)
{
    /// <summary>A square kernel with the same stride and padding on both axes.</summary>
    public static ConvWindow Square(int kernel, int stride = 1, int padding = 0) => new(kernel, kernel, stride, stride, padding, padding);

    /// <summary>"3×3", "3×2 s2×1 p1×0": stride and padding only when not 1 and 0.</summary>
    public override string ToString() =>
        $"{KernelH}×{KernelW}" + (StrideH != 1 || StrideW != 1 ? $" s{StrideH}×{StrideW}" : "") +
        (PaddingH != 0 || PaddingW != 0 ? $" p{PaddingH}×{PaddingW}" : "");
}

/// <summary>One layer of an <see cref="Mlp"/> before it is built: a Dense layer with its output width, a Conv2d
/// with its filter count (<see cref="OutputSize"/>, the output channels) and <see cref="Window"/>, a Flatten, or an
/// activation (which keeps the shape).</summary>
public sealed record LayerSpec(LayerKind Kind, int OutputSize, Activation Function, float Slope)
{
    /// <summary>Conv2d only: kernel, stride and padding (default for every other kind).</summary>
    public ConvWindow Window { get; init; }

    public static LayerSpec Dense(int outputSize) => new(LayerKind.Dense, outputSize, Activation.Identity, 0f);

    public static LayerSpec Act(Activation function, float slope = 0.01f) => new(LayerKind.Activation, 0, function, slope);

    /// <summary>torch.nn.Conv2d(C, filters, kernel, stride, padding); C is whatever the previous layer outputs.</summary>
    public static LayerSpec Conv2d(int filters, int kernel, int stride = 1, int padding = 0) =>
        Conv2d(filters, ConvWindow.Square(kernel, stride, padding));

    public static LayerSpec Conv2d(int filters, ConvWindow window) =>
        new(LayerKind.Conv2d, filters, Activation.Identity, 0f) { Window = window };

    /// <summary>x.view(B, −1): an image becomes a vector in NCHW order.</summary>
    public static LayerSpec Flatten() => new(LayerKind.Flatten, 0, Activation.Identity, 0f);
}
