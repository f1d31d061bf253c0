using System.Text.Json;
using DqnStudy.Nn.Blas;
using DqnStudy.Nn.Layers;
using static DqnStudy.Nn.Tests.ReferenceVectors.RefJson;

namespace DqnStudy.Nn.Tests.ReferenceVectors;

/// <summary>activation: y = f(x), dx = dy·f'(x) through the ActivationLayer.</summary>
public sealed class ActivationReferenceRunner : IReferenceCaseRunner
{
    public string Kind => "activation";

    public double Run(JsonElement c, IBlas blas)
    {
        string name = Name(c);
        double[] x = Doubles(c, "x");
        int batch = Get(c, "x").GetArrayLength();
        int width = x.Length / batch;
        float slope = c.TryGetProperty("slope", out JsonElement s) ? (float)s.GetDouble() : 0.01f;
        var layer = new ActivationLayer("act1", ParseFunction(String(c, "fn")), width, batch, slope);
        ReadOnlySpan<float> y = layer.Forward(Floats(c, "x"), batch);
        double worst = Compare(name, "y", Doubles(c, "y"), y);
        float[] dx = new float[x.Length];
        layer.Backward(Floats(c, "dy"), dx, batch);
        return Math.Max(worst, Compare(name, "dx", Doubles(c, "dx"), dx));
    }

    public static Activation ParseFunction(string fn) => fn switch
    {
        "identity" => Activation.Identity,
        "relu" => Activation.Relu,
        "leaky_relu" => Activation.LeakyRelu,
        "sigmoid" => Activation.Sigmoid,
        "tanh" => Activation.Tanh,
        _ => throw new InvalidDataException($"Unknown activation fn \"{fn}\"."),
    };
}
