namespace DqnStudy.Nn.Layers;

/// <summary>
/// The input a weighted layer's Backward needs for dW (CS231n's cache): a copy of x, or, inside an <see cref="Mlp"/>,
/// a reference to the previous layer's output buffer, which stays unchanged until Backward (no copy).
/// </summary>
internal sealed class InputCache(int capacity)
{
    private readonly float[] copy = new float[capacity];
    private float[]? borrowed;

    /// <summary>Copies x[..count] and returns the copy.</summary>
    public float[] Keep(ReadOnlySpan<float> x, int count)
    {
        x[..count].CopyTo(copy);
        borrowed = null;
        return copy;
    }

    /// <summary>Remembers the buffer itself.</summary>
    public float[] Borrow(float[] x)
    {
        borrowed = x;
        return x;
    }

    /// <summary>The input of the last Forward.</summary>
    public float[] Last => borrowed ?? copy;
}
