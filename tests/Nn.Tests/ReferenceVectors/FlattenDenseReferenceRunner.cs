using System.Text.Json;
using DqnStudy.Nn.Blas;
using DqnStudy.Nn.Layers;
using static DqnStudy.Nn.Tests.ReferenceVectors.RefJson;

namespace DqnStudy.Nn.Tests.ReferenceVectors;

/// <summary>flatten_dense: x.view(B, −1) then Linear, as an Mlp on images. Run twice: the flatten first (it copies
/// the network's input) and behind an identity activation (it reshapes that layer's buffer in place, and its input
/// gradient is the dense layer's own).</summary>
public sealed class FlattenDenseReferenceRunner : IReferenceCaseRunner
{
    public string Kind => "flatten_dense";

    public double Run(JsonElement c, IBlas blas)
    {
        string name = Name(c);
        int batch = Int(c, "batch"), outFeatures = Int(c, "out_features");
        var image = new ImageShape(Int(c, "channels"), Int(c, "height"), Int(c, "width"));
        Assert.Equal(Int(c, "in_features"), image.Size);
        double worst = 0;
        foreach (LayerSpec[] specs in new[]
                 {
                     new[] { LayerSpec.Flatten(), LayerSpec.Dense(outFeatures) },
                     new[] { LayerSpec.Act(Activation.Identity), LayerSpec.Flatten(), LayerSpec.Dense(outFeatures) },
                 })
        {
            string label = $"{name} ({specs.Length} layers)";
            var network = new Mlp(blas, specs, image, batch);
            Floats(c, "W").CopyTo(network.DenseLayers[0].Weight);
            Floats(c, "b").CopyTo(network.DenseLayers[0].Bias);
            ReadOnlySpan<float> y = network.Forward(Floats(c, "x"), batch);
            ILayer flatten = network.Layers[^2];
            Assert.IsType<FlattenLayer>(flatten);
            worst = Math.Max(worst, Compare(label, "x_flat", Doubles(c, "x_flat"), flatten.Output[..(batch * image.Size)], 1, OwnScale));
            worst = Math.Max(worst, Compare(label, "y", Doubles(c, "y"), y, image.Size + 1, OwnScale));
            float[] dx = new float[batch * image.Size];
            dx.AsSpan().Fill(float.NaN);
            network.ZeroGrad();
            network.Backward(Floats(c, "dy"), dx, batch);
            worst = Math.Max(worst, Compare(label, "dx", Doubles(c, "dx"), dx, outFeatures, OwnScale));
            worst = Math.Max(worst, Compare(label, "dW", Doubles(c, "dW"), network.DenseLayers[0].WeightGrad, batch, OwnScale));
            worst = Math.Max(worst, Compare(label, "db", Doubles(c, "db"), network.DenseLayers[0].BiasGrad, batch, OwnScale));
        }
        return worst;
    }
}
