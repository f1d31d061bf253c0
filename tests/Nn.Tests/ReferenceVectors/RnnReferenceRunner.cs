using System.Text.Json;
using DqnStudy.Nn.Blas;
using DqnStudy.Nn.Diagnostics;
using DqnStudy.Nn.Recurrent;
using static DqnStudy.Nn.Tests.Recurrent.RecurrentReference;

namespace DqnStudy.Nn.Tests.ReferenceVectors;

/// <summary>rnn.json: torch.nn.RNN(tanh) unrolled through time (FORMAT.md, "rnn").</summary>
public sealed class RnnReferenceRunner : IReferenceCaseRunner
{
    /// <summary>Float32 against float64, relative to max|ref| per array. Measured worst: 2.2e-5 on
    /// rnn_spectral1.5_T50_h0random (a saturated, chaotic forward amplifies float32 rounding); about 1e-6 elsewhere.</summary>
    public const double Tolerance = 1e-4;

    public string Kind => "rnn";

    public double Run(JsonElement referenceCase, IBlas blas)
    {
        JsonElement c = referenceCase;
        string name = Name(c);
        int steps = Int(c, "T"), batch = Int(c, "batch"), inputSize = Int(c, "input_size"), hidden = Int(c, "hidden_size");
        var rnn = new VanillaRnn(blas, inputSize, hidden, steps, batch);
        Floats(c, "W_ih").CopyTo(rnn.WeightIh);
        Floats(c, "W_hh").CopyTo(rnn.WeightHh);
        Floats(c, "b_ih").CopyTo(rnn.BiasIh);
        Floats(c, "b_hh").CopyTo(rnn.BiasHh);

        double worst = AssertClose(name, "hs", rnn.Forward(Floats(c, "xs"), Floats(c, "h0"), steps, batch), Doubles(c, "hs"), Tolerance);

        var dxs = new float[steps * batch * inputSize];
        var dh0 = new float[batch * hidden];
        rnn.ZeroGrad();
        rnn.Backward(Floats(c, "dhs"), dxs, dh0, steps, batch);
        worst = Math.Max(worst, AssertClose(name, "dW_ih", rnn.WeightIhGrad, Doubles(c, "dW_ih"), Tolerance));
        worst = Math.Max(worst, AssertClose(name, "dW_hh", rnn.WeightHhGrad, Doubles(c, "dW_hh"), Tolerance));
        worst = Math.Max(worst, AssertClose(name, "db_ih", rnn.BiasIhGrad, Doubles(c, "db_ih"), Tolerance));
        worst = Math.Max(worst, AssertClose(name, "db_hh", rnn.BiasHhGrad, Doubles(c, "db_hh"), Tolerance));
        worst = Math.Max(worst, AssertClose(name, "dh0", dh0, Doubles(c, "dh0"), Tolerance));
        worst = Math.Max(worst, AssertClose(name, "dxs", dxs, Doubles(c, "dxs"), Tolerance));

        // The instruments: the norms span many decades in the spectral cases, so each is judged relative to itself.
        double[] norms = Doubles(c, "dh_total_norms");
        ReadOnlySpan<float> measured = rnn.HiddenGradientNorms;
        Assert.Equal(norms.Length, measured.Length);
        for (int t = 0; t < norms.Length; t++)
        {
            AssertRelative(name, $"dh_total_norms[{t}]", measured[t], norms[t], Tolerance);
        }
        AssertRelative(name, "dh0_norm", measured[0], c.GetProperty("dh0_norm").GetDouble(), Tolerance);
        AssertRelative(name, "spectral_radius", SpectralProbe.SpectralRadius(rnn.WeightHh, hidden),
                       c.GetProperty("spectral_radius").GetDouble(), Tolerance);
        AssertRelative(name, "spectral_norm", SpectralProbe.SpectralNorm(rnn.WeightHh, hidden, hidden),
                       c.GetProperty("spectral_norm").GetDouble(), Tolerance);
        return worst;
    }
}
