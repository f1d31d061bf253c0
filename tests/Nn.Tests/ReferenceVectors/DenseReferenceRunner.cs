using System.Text.Json;
using DqnStudy.Nn.Blas;
using DqnStudy.Nn.Layers;
using static DqnStudy.Nn.Tests.ReferenceVectors.RefJson;

namespace DqnStudy.Nn.Tests.ReferenceVectors;

/// <summary>dense: y = x Wᵀ + b and dx, dW, db through the Dense layer.</summary>
public sealed class DenseReferenceRunner : IReferenceCaseRunner
{
    public string Kind => "dense";

    public double Run(JsonElement c, IBlas blas)
    {
        string name = Name(c);
        int batch = Int(c, "batch"), inFeatures = Int(c, "in_features"), outFeatures = Int(c, "out_features");
        var layer = new Dense("fc1", blas, inFeatures, outFeatures, batch);
        Floats(c, "W").CopyTo(layer.Weight);
        Floats(c, "b").CopyTo(layer.Bias);
        float[] dx = new float[batch * inFeatures];
        ReadOnlySpan<float> y = layer.Forward(Floats(c, "x"), batch);
        double worst = Compare(name, "y", Doubles(c, "y"), y, inFeatures + 1);
        layer.Backward(Floats(c, "dy"), dx, batch);
        worst = Math.Max(worst, Compare(name, "dx", Doubles(c, "dx"), dx, outFeatures));
        worst = Math.Max(worst, Compare(name, "dW", Doubles(c, "dW"), layer.WeightGrad, batch));
        return Math.Max(worst, Compare(name, "db", Doubles(c, "db"), layer.BiasGrad, batch));
    }
}
