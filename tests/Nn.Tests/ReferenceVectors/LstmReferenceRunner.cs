using System.Text.Json;
using DqnStudy.Nn.Blas;
using DqnStudy.Nn.Recurrent;
using static DqnStudy.Nn.Tests.Recurrent.RecurrentReference;

namespace DqnStudy.Nn.Tests.ReferenceVectors;

/// <summary>lstm.json: torch.nn.LSTM unrolled through time, gate order i, f, g, o (FORMAT.md, "lstm").</summary>
public sealed class LstmReferenceRunner : IReferenceCaseRunner
{
    /// <summary>Float32 against float64, relative to max|ref| per array.</summary>
    public const double Tolerance = 2e-5;

    public string Kind => "lstm";

    public double Run(JsonElement referenceCase, IBlas blas)
    {
        JsonElement c = referenceCase;
        string name = Name(c);
        int steps = Int(c, "T"), batch = Int(c, "batch"), inputSize = Int(c, "input_size"), hidden = Int(c, "hidden_size");
        var lstm = new Lstm(blas, inputSize, hidden, steps, batch);
        Floats(c, "W_ih").CopyTo(lstm.WeightIh);
        Floats(c, "W_hh").CopyTo(lstm.WeightHh);
        Floats(c, "b_ih").CopyTo(lstm.BiasIh);
        Floats(c, "b_hh").CopyTo(lstm.BiasHh);

        ReadOnlySpan<float> hs = lstm.Forward(Floats(c, "xs"), Floats(c, "h0"), Floats(c, "c0"), steps, batch);
        double worst = AssertClose(name, "hs", hs, Doubles(c, "hs"), Tolerance);
        worst = Math.Max(worst, AssertClose(name, "cs", lstm.Cells, Doubles(c, "cs"), Tolerance));

        var dxs = new float[steps * batch * inputSize];
        var dh0 = new float[batch * hidden];
        var dc0 = new float[batch * hidden];
        lstm.ZeroGrad();
        lstm.Backward(Floats(c, "dhs"), Floats(c, "dcT"), dxs, dh0, dc0, steps, batch);
        worst = Math.Max(worst, AssertClose(name, "dW_ih", lstm.WeightIhGrad, Doubles(c, "dW_ih"), Tolerance));
        worst = Math.Max(worst, AssertClose(name, "dW_hh", lstm.WeightHhGrad, Doubles(c, "dW_hh"), Tolerance));
        worst = Math.Max(worst, AssertClose(name, "db_ih", lstm.BiasIhGrad, Doubles(c, "db_ih"), Tolerance));
        worst = Math.Max(worst, AssertClose(name, "db_hh", lstm.BiasHhGrad, Doubles(c, "db_hh"), Tolerance));
        worst = Math.Max(worst, AssertClose(name, "dh0", dh0, Doubles(c, "dh0"), Tolerance));
        worst = Math.Max(worst, AssertClose(name, "dc0", dc0, Doubles(c, "dc0"), Tolerance));
        worst = Math.Max(worst, AssertClose(name, "dxs", dxs, Doubles(c, "dxs"), Tolerance));
        return worst;
    }
}
