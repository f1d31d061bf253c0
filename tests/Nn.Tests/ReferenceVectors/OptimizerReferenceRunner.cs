using System.Text.Json;
using DqnStudy.Nn.Blas;
using DqnStudy.Nn.Optim;
using static DqnStudy.Nn.Tests.ReferenceVectors.RefJson;

namespace DqnStudy.Nn.Tests.ReferenceVectors;

/// <summary>optimizer: k steps of torch's SGD / Adam / RMSprop from given gradients; parameters and every
/// state vector after each step.</summary>
public sealed class OptimizerReferenceRunner : IReferenceCaseRunner
{
    public string Kind => "optimizer";

    public double Run(JsonElement c, IBlas blas) => Steps(c, 0);

    /// <summary>Runs the case's k steps on n + <paramref name="lead"/> parameters, the case's n after
    /// <paramref name="lead"/> extra ones that get zero gradient: a lead that is not a multiple of the vector width
    /// moves the case's elements across the optimisers' vector loop and scalar tail. <paramref name="scaleFloor"/> as in
    /// <see cref="RefJson.Compare(string, string, ReadOnlySpan{double}, ReadOnlySpan{float}, double, double)"/>.</summary>
    public static double Steps(JsonElement c, int lead, double scaleFloor = 1)
    {
        string name = Name(c) + (lead > 0 ? $" (lead {lead})" : "");
        int n = Int(c, "n"), k = Int(c, "k");
        JsonElement h = Get(c, "hyperparameters");
        string kind = String(c, "optimizer");
        int count = n + lead;
        IOptimizer optimizer = kind switch
        {
            "sgd" => new Sgd(count, F(h, "lr"), F(h, "momentum"), F(h, "dampening"), F(h, "weight_decay"), Get(h, "nesterov").GetBoolean()),
            "adam" => new Adam(count, F(h, "lr"), (float)Doubles(h, "betas")[0], (float)Doubles(h, "betas")[1], F(h, "eps"), F(h, "weight_decay")),
            "rmsprop" => new RmsProp(count, F(h, "lr"), F(h, "alpha"), F(h, "eps"), F(h, "weight_decay"), F(h, "momentum"), Get(h, "centered").GetBoolean()),
            _ => throw new InvalidDataException($"Unknown optimizer \"{kind}\"."),
        };
        if (kind == "adam")
        {
            Assert.False(Get(h, "amsgrad").GetBoolean(), $"{name}: amsgrad is not implemented.");
        }
        float[] all = new float[count];
        Floats(c, "params0").CopyTo(all, lead);
        float[] g = new float[count];
        JsonElement[] grads = [.. Get(c, "grads").EnumerateArray()];
        JsonElement[] expected = [.. Get(c, "params").EnumerateArray()];
        JsonElement[] states = [.. Get(c, "state_after_step").EnumerateArray()];
        double worst = 0;
        for (int j = 0; j < k; j++)
        {
            Array.ConvertAll(Doubles(grads[j]), v => (float)v).CopyTo(g, lead);
            optimizer.Step(all, g);
            double terms = j + 1;   // rounding accumulates over steps
            worst = Math.Max(worst, Compare(name, $"params[{j}]", Doubles(expected[j]), all.AsSpan(lead), terms, scaleFloor));
            foreach ((string field, float[] actual) in State(optimizer, states[j]))
            {
                worst = Math.Max(worst, Compare(name, $"state[{j}].{field}", Doubles(states[j], field), actual.AsSpan(lead), terms, scaleFloor));
            }
            if (states[j].TryGetProperty("step", out JsonElement step))
            {
                Assert.Equal(step.GetInt64(), optimizer.StepCount);
            }
        }
        return worst;
    }

    private static float F(JsonElement h, string field) => (float)Double(h, field);

    // Returns every state vector the reference lists, and fails when our optimiser lacks one it lists.
    private static List<(string Field, float[] Actual)> State(IOptimizer optimizer, JsonElement state)
    {
        var pairs = new List<(string, float[])>();
        foreach (JsonProperty property in state.EnumerateObject())
        {
            if (property.Name == "step")
            {
                continue;
            }
            ReadOnlySpan<float> actual = (optimizer, property.Name) switch
            {
                (Sgd s, "momentum_buffer") => s.MomentumBuffer,
                (Adam a, "exp_avg") => a.ExpAvg,
                (Adam a, "exp_avg_sq") => a.ExpAvgSq,
                (RmsProp r, "square_avg") => r.SquareAvg,
                (RmsProp r, "grad_avg") => r.GradAvg,
                (RmsProp r, "momentum_buffer") => r.MomentumBuffer,
                _ => throw new InvalidDataException($"{optimizer.Name} has no state \"{property.Name}\"."),
            };
            pairs.Add((property.Name, actual.ToArray()));
        }
        return pairs;
    }
}
