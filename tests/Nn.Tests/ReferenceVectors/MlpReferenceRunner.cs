using System.Text.Json;
using DqnStudy.Nn.Blas;
using DqnStudy.Nn.Layers;
using static DqnStudy.Nn.Tests.ReferenceVectors.RefJson;

namespace DqnStudy.Nn.Tests.ReferenceVectors;

/// <summary>mlp: every layer output, every layer-output gradient, dx, dW and db of a whole Mlp.</summary>
public sealed class MlpReferenceRunner : IReferenceCaseRunner
{
    public string Kind => "mlp";

    public double Run(JsonElement c, IBlas blas)
    {
        string name = Name(c);
        int batch = Int(c, "batch");
        float[] x = Floats(c, "x");
        int inputSize = x.Length / batch;
        JsonElement[] layers = [.. Get(c, "layers").EnumerateArray()];
        var specs = new List<LayerSpec>();
        var fanIns = new List<int>();   // the summation length feeding each layer, for the tolerance
        int width = inputSize;
        foreach (JsonElement layer in layers)
        {
            if (String(layer, "type") == "dense")
            {
                int outFeatures = Get(layer, "W").GetArrayLength();
                specs.Add(LayerSpec.Dense(outFeatures));
                fanIns.Add(width + 1);
                width = outFeatures;
            }
            else
            {
                float slope = layer.TryGetProperty("slope", out JsonElement s) ? (float)s.GetDouble() : 0.01f;
                specs.Add(LayerSpec.Act(ActivationReferenceRunner.ParseFunction(String(layer, "fn")), slope));
                fanIns.Add(fanIns.Count == 0 ? 1 : fanIns[^1]);
            }
        }
        var mlp = new Mlp(blas, specs, inputSize, batch);
        int dense = 0;
        foreach (JsonElement layer in layers.Where(l => String(l, "type") == "dense"))
        {
            Floats(layer, "W").CopyTo(mlp.DenseLayers[dense].Weight);
            Floats(layer, "b").CopyTo(mlp.DenseLayers[dense].Bias);
            dense++;
        }

        mlp.Forward(x, batch);
        JsonElement[] outputs = [.. Get(c, "layer_outputs").EnumerateArray()];
        double worst = 0;
        for (int i = 0; i < layers.Length; i++)
        {
            // Errors compound through the stack: allow for every summation so far.
            double terms = fanIns.Take(i + 1).Sum();
            worst = Math.Max(worst, Compare(name, $"layer_outputs[{i}]", Doubles(outputs[i]),
                mlp.Layers[i].Output[..(batch * mlp.Layers[i].OutputSize)], terms));
        }
        worst = Math.Max(worst, Compare(name, "y", Doubles(c, "y"), mlp.Layers[^1].Output[..(batch * mlp.OutputSize)], fanIns.Sum()));

        float[] dx = new float[batch * inputSize];
        mlp.ZeroGrad();
        mlp.Backward(Floats(c, "dy"), dx, batch);
        double backwardTerms = fanIns.Sum();
        JsonElement[] grads = [.. Get(c, "layer_output_grads").EnumerateArray()];
        for (int i = 0; i < layers.Length - 1; i++)
        {
            worst = Math.Max(worst, Compare(name, $"layer_output_grads[{i}]", Doubles(grads[i]), mlp.InputGradient(i + 1, batch), backwardTerms));
        }
        worst = Math.Max(worst, Compare(name, "dx", Doubles(c, "dx"), dx, backwardTerms));
        JsonElement[] dW = [.. Get(c, "dW").EnumerateArray()];
        JsonElement[] db = [.. Get(c, "db").EnumerateArray()];
        dense = 0;
        for (int i = 0; i < layers.Length; i++)
        {
            if (String(layers[i], "type") != "dense")
            {
                Assert.Equal(JsonValueKind.Null, dW[i].ValueKind);
                continue;
            }
            Dense layer = mlp.DenseLayers[dense++];
            worst = Math.Max(worst, Compare(name, $"dW[{i}]", Doubles(dW[i]), layer.WeightGrad, backwardTerms + batch));
            worst = Math.Max(worst, Compare(name, $"db[{i}]", Doubles(db[i]), layer.BiasGrad, backwardTerms + batch));
        }
        return worst;
    }
}
