using System.Text.Json;
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
    /// <summary>The cases this experiment applies to, chosen by what they hold (never by name, so any folder of the
    /// format works): a spectral-radius target, and zero input, h0 and biases.</summary>
    public static IReadOnlyList<JsonElement> ZeroInputCases()
    {
        var cases = Cases("rnn").Where(c => c.TryGetProperty("spectral_radius_target", out _)
            && new[] { "xs", "h0", "b_ih", "b_hh" }.All(field => Doubles(c, field).All(v => v == 0))).ToList();
        Assert.True(cases.Count > 0, $"No rnn case in {Folder()} has a spectral_radius_target with zero xs, h0 and biases.");
        return cases;
    }

    [Fact]
    public void ZeroInputRnn_ScaledByProbe_ReproducesTheRecordedNorms()
    {
        foreach (JsonElement c in ZeroInputCases())
        {
            ScaledByProbe(c);
        }
    }

    private static void ScaledByProbe(JsonElement c)
    {
        string caseName = Name(c);
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
                AssertRelative(caseName, $"{TestProviders.Label(blas)} dh_total_norms[{t}]", norms[t], expected[t], 1e-4);
            }
        }
    }

    [Fact]
    public void ZeroInputRnn_NormScalesExactlyLikeRhoToTheT_At09_10_11()
    {
        // Scaling W_hh by s scales dL/dh0 by s^T exactly in this linear regime, so the three radii of the study
        // must differ by (rho_a/rho_b)^T: the rho^T prediction the study plots beside its measured curve.
        // Any zero-input case will do; its recorded norms are scaled from its own radius to each of the three.
        JsonElement c = ZeroInputCases()[0];
        double recordedRho = c.GetProperty("spectral_radius_target").GetDouble();
        int steps = Int(c, "T"), hidden = Int(c, "hidden_size"), inputSize = Int(c, "input_size");
        float[] dhs = Floats(c, "dhs");
        double recordedNorm = c.GetProperty("dh0_norm").GetDouble();
        foreach (double rho in new[] { 0.9, 1.0, 1.1 })
        {
            var rnn = new VanillaRnn(new ManagedBlas(), inputSize, hidden, steps, 1);
            Floats(c, "W_hh").CopyTo(rnn.WeightHh);
            SpectralProbe.ScaleToSpectralRadius(rnn.WeightHh, hidden, rho);
            ReadOnlySpan<float> norms = ZeroInputNorms(rnn, dhs, steps);
            for (int t = 0; t <= steps; t++)
            {
                // dh_total_norms[t] has been multiplied by W_hh (steps − t) times.
                double predicted = Doubles(c, "dh_total_norms")[t] * Math.Pow(rho / recordedRho, steps - t);
                AssertRelative($"rho {rho}", $"dh_total_norms[{t}]", norms[t], predicted, 1e-4);
            }
            AssertRelative($"rho {rho}", "dh0_norm", norms[0], recordedNorm * Math.Pow(rho / recordedRho, steps), 1e-4);
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
