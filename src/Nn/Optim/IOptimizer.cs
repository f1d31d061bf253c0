namespace DqnStudy.Nn.Optim;

/// <summary>Updates a flat parameter span from its gradient span (a ParameterBlock's Values and Gradients).
/// Step allocates nothing; Save/Load carry every state vector and the step count.</summary>
public interface IOptimizer
{
    string Name { get; }

    /// <summary>The step size of the next Step (a schedule sets it between training phases).</summary>
    float LearningRate { get; set; }

    void Step(Span<float> parameters, ReadOnlySpan<float> gradients);

    void Save(BinaryWriter w);

    void Load(BinaryReader r);

    long StepCount { get; }
}
