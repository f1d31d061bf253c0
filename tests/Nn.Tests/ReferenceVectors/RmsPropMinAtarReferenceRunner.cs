using System.Text.Json;
using DqnStudy.Nn.Blas;
using DqnStudy.Nn.Optim;
using static DqnStudy.Nn.Tests.ReferenceVectors.RefJson;

namespace DqnStudy.Nn.Tests.ReferenceVectors;

/// <summary>rmsprop_minatar: MinAtar's torch.optim.RMSprop (centered, eps outside the root, with or without momentum)
/// on a conv-shaped parameter, through RmsProp: the optimizer kind's checks, once as given and once shifted across the
/// vector loop's boundary; an element whose gradient is 0 in every step must keep its initial value exactly.</summary>
public sealed class RmsPropMinAtarReferenceRunner : IReferenceCaseRunner
{
    public string Kind => "rmsprop_minatar";

    public double Run(JsonElement c, IBlas blas)
    {
        string name = Name(c);
        int n = Int(c, "n"), k = Int(c, "k");
        int elements = Get(c, "shape").EnumerateArray().Aggregate(1, (product, d) => product * d.GetInt32());
        Assert.True(elements == n, $"{name}: shape holds {elements} elements but n is {n}.");
        double worst = Math.Max(OptimizerReferenceRunner.Steps(c, 0, OwnScale), OptimizerReferenceRunner.Steps(c, 3, OwnScale));
        UntouchedElementsStayExactly(name, c, n, k);
        return worst;
    }

    private static void UntouchedElementsStayExactly(string name, JsonElement c, int n, int k)
    {
        JsonElement h = Get(c, "hyperparameters");
        var optimizer = new RmsProp(n, (float)Double(h, "lr"), (float)Double(h, "alpha"), (float)Double(h, "eps"),
                                    (float)Double(h, "weight_decay"), (float)Double(h, "momentum"), Get(h, "centered").GetBoolean());
        float[] initial = Floats(c, "params0");
        float[] parameters = (float[])initial.Clone();
        var everMoved = new bool[n];
        foreach (JsonElement step in Get(c, "grads").EnumerateArray())
        {
            float[] g = Array.ConvertAll(Doubles(step), v => (float)v);
            for (int i = 0; i < n; i++)
            {
                everMoved[i] |= g[i] != 0f;
            }
            optimizer.Step(parameters, g);
        }
        double[] final = Doubles(Get(c, "params")[k - 1]);
        if (Double(h, "weight_decay") != 0)
        {
            return;   // weight decay moves every element
        }
        for (int i = 0; i < n; i++)
        {
            if (!everMoved[i])
            {
                Assert.True(final[i] == Doubles(c, "params0")[i], $"{name}: the reference moved element {i}, whose gradient is always 0.");
                Assert.True(BitConverter.SingleToInt32Bits(parameters[i]) == BitConverter.SingleToInt32Bits(initial[i]),
                    $"{name}: element {i} has gradient 0 in every step but moved from {initial[i]} to {parameters[i]}.");
            }
        }
    }
}
