namespace DqnStudy.Nn.Layers;

/// <summary>A layer with a weight and a bias (Dense, Conv2d): what gradient norms, update ratios and fault reports
/// walk over, in network order.</summary>
public interface IWeightedLayer : ILayer
{
    Span<float> Weight { get; }

    Span<float> Bias { get; }

    Span<float> WeightGrad { get; }

    Span<float> BiasGrad { get; }
}
