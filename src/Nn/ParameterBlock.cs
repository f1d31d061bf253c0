namespace DqnStudy.Nn;

/// <summary>One named tensor inside a <see cref="ParameterBlock"/>: "fc1.weight" is (Rows, Cols) row-major at Offset.</summary>
public sealed record ParameterView(string Name, int Offset, int Length, int Rows, int Cols);

/// <summary>
/// llm.c's malloc_and_point: every parameter of a network lives in one float[] and every gradient in
/// another of the same layout, so optimisers, clipping, copies and checkpoints see one flat span.
/// </summary>
public sealed class ParameterBlock
{
    private readonly float[] _values;
    private readonly float[] _gradients;
    private readonly ParameterView[] _views;

    /// <summary>Lays the tensors out in the given order; shapes are (rows, cols), a vector has cols = 1.</summary>
    public ParameterBlock(IReadOnlyList<(string Name, int Rows, int Cols)> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        _views = new ParameterView[tensors.Count];
        long offset = 0;
        for (int i = 0; i < tensors.Count; i++)
        {
            var (name, rows, cols) = tensors[i];
            Shapes.RequirePositive(rows, nameof(tensors) + "[" + i + "].Rows");
            Shapes.RequirePositive(cols, nameof(tensors) + "[" + i + "].Cols");
            long length = (long)rows * cols;
            if (offset + length > Array.MaxLength)
            {
                throw new ArgumentException($"{nameof(tensors)} needs {offset + length} parameters, more than an array holds.", nameof(tensors));
            }
            _views[i] = new ParameterView(name, (int)offset, (int)length, rows, cols);
            offset += length;
        }
        _values = new float[offset];
        _gradients = new float[offset];
    }

    public Span<float> Values => _values;

    public Span<float> Gradients => _gradients;

    public int Count => _values.Length;

    public IReadOnlyList<ParameterView> Views => _views;

    public Span<float> ValuesOf(ParameterView view) => _values.AsSpan(view.Offset, view.Length);

    public Span<float> GradientsOf(ParameterView view) => _gradients.AsSpan(view.Offset, view.Length);

    public void ZeroGradients() => Array.Clear(_gradients);
}
