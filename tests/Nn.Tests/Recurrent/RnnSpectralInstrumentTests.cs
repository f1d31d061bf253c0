using DqnStudy.Nn.Blas;
using DqnStudy.Nn.Diagnostics;
using DqnStudy.Nn.Recurrent;
using DqnStudy.Nn.Tests.Blas;
using static DqnStudy.Nn.Tests.Recurrent.RecurrentReference;

namespace DqnStudy.Nn.Tests.Recurrent;

/// <summary>
/// The essay's experiment: zero input, zero h0, zero biases, upstream gradient only on the last step. Every h_t is 0,
/// tanh' = 1, so BPTT is the linear map dL/dh_{t-1} = dL/dh_t·W_hh and ||dL/dh0|| tracks rho(W_hh)^T.
/// </summary>
public sealed class RnnSpectralInstrumentTests
{
    public static TheoryData<string> H0ZeroCases() => new()
    {
        "rnn_spectral0.5_T50_h0zero", "rnn_spectral1_T50_h0zero", "rnn_spectral1.5_T50_h0zero", "rnn_spectral1.5_T20_h0zero",
    };

    [Theory]
    [MemberData(nameof(H0ZeroCases))]
    public void ZeroInputRnn_ScaledByProbe_ReproducesTheRecordedNorms(string caseName)
    {
        var c = Case("rnn", caseName);
        int steps = Int(c, "T"), hidden = Int(c, "hidden_size"), inputSize = Int(c, "input_size");
        double target = c.GetProperty("spectral_radius_target").GetDouble();
        double[] expected = Doubles(c, "dh_total_norms");
        foreach (IBlas blas in TestProviders.All())
        {
            var rnn = new VanillaRnn(blas, inputSize, hidden, steps, 1);
            Floats(c, "W_hh").CopyTo(rnn.WeightHh);
            // Rescale with our probe: the instrument chain (probe → scale → BPTT → norms) must land on torch's numbers.
            SpectralProbe.ScaleToSpectralRadius(rnn.WeightHh, hidden, target);
            ReadOnlySpan<float> norms = ZeroInputNorms(rnn, Floats(c, "dhs"), steps);
            Assert.Equal(expected.Length, norms.Length);
            for (int t = 0; t < expected.Length; t++)
            {
                AssertRelative(caseName, $"{blas.Name} dh_total_norms[{t}]", norms[t], expected[t], 1e-4);
            }
        }
    }

    [Fact]
    public void ZeroInputRnn_NormScalesExactlyLikeRhoToTheT_At09_10_11()
    {
        // Scaling W_hh by s scales dL/dh0 by s^T exactly in this linear regime, so the three radii of the study
        // must differ by (rho_a/rho_b)^T: the rho^T prediction the study plots beside its measured curve.
        var c = Case("rnn", "rnn_spectral1_T50_h0zero");
        int steps = Int(c, "T"), hidden = Int(c, "hidden_size"), inputSize = Int(c, "input_size");
        float[] dhs = Floats(c, "dhs");
        double recordedAtOne = c.GetProperty("dh0_norm").GetDouble();
        foreach (double rho in new[] { 0.9, 1.0, 1.1 })
        {
            var rnn = new VanillaRnn(new ManagedBlas(), inputSize, hidden, steps, 1);
            Floats(c, "W_hh").CopyTo(rnn.WeightHh);
            SpectralProbe.ScaleToSpectralRadius(rnn.WeightHh, hidden, rho);
            ReadOnlySpan<float> norms = ZeroInputNorms(rnn, dhs, steps);
            for (int t = 0; t <= steps; t++)
            {
                // dh_total_norms[t] has been multiplied by W_hh (steps − t) times.
                double predicted = Doubles(c, "dh_total_norms")[t] * Math.Pow(rho, steps - t);
                AssertRelative($"rho {rho}", $"dh_total_norms[{t}]", norms[t], predicted, 1e-4);
            }
            AssertRelative($"rho {rho}", "dh0_norm", norms[0], recordedAtOne * Math.Pow(rho, steps), 1e-4);
        }
    }

    private static ReadOnlySpan<float> ZeroInputNorms(VanillaRnn rnn, float[] dhs, int steps)
    {
        // Only W_hh is set: input weights and biases stay 0 and the input is 0, as in the reference cases.
        rnn.Forward(new float[steps * rnn.InputSize], new float[rnn.HiddenSize], steps, 1);
        Assert.All(rnn.Hidden.ToArray(), h => Assert.Equal(0f, h));
        rnn.Backward(dhs, [], [], steps, 1);
        return rnn.HiddenGradientNorms;
    }
}
