namespace DqnStudy.Nn.Layers;

/// <summary>One sample of an NCHW tensor: channels, rows, columns (the column index varies fastest).</summary>
public readonly record struct ImageShape(int Channels, int Height, int Width)
{
    /// <summary>C·H·W: the length of one sample's row-major data, and its width once flattened.</summary>
    public int Size => Channels * Height * Width;

    /// <summary>"4×10×10".</summary>
    public override string ToString() => $"{Channels}×{Height}×{Width}";
}
