using DqnStudy.Nn.Blas;
using DqnStudy.Nn.Diagnostics;
using DqnStudy.Nn.Recurrent;
using static DqnStudy.Nn.Tests.Recurrent.RecurrentGradCheck;

namespace DqnStudy.Nn.Tests.Recurrent;

public sealed class VanillaRnnGradientTests
{
    private const int InputSize = 3;
    private const int Hidden = 4;

    public static TheoryData<int, int> Shapes() => new() { { 1, 1 }, { 1, 3 }, { 3, 1 }, { 3, 3 }, { 7, 1 }, { 7, 3 } };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void BackpropMatchesFiniteDifferences(int steps, int batch)
    {
        var rng = new Random(1000 + 10 * steps + batch);
        var rnn = new VanillaRnn(new ManagedBlas(), InputSize, Hidden, steps, batch);
        rnn.Initialize(rng, scale: 1.5); // gain above 1 so the recurrence, not just the last step, carries gradient
        float[] xs = Uniform(rng, steps * batch * InputSize, 1.0);
        float[] h0 = Uniform(rng, batch * Hidden, 0.5);
        float[] dhs = Uniform(rng, steps * batch * Hidden, 1.0);
        double Loss() => Dot(rnn.Forward(xs, h0, steps, batch), dhs);

        var dxs = new float[xs.Length];
        var dh0 = new float[h0.Length];
        rnn.ZeroGrad();
        rnn.Forward(xs, h0, steps, batch);
        rnn.Backward(dhs, dxs, dh0, steps, batch);
        // Copies: the checks below run Forward again, never Backward, but copies keep the analytic side fixed.
        float[] dWih = rnn.WeightIhGrad.ToArray(), dWhh = rnn.WeightHhGrad.ToArray();
        float[] dbih = rnn.BiasIhGrad.ToArray(), dbhh = rnn.BiasHhGrad.ToArray();

        AssertAll($"rnn T={steps} B={batch}", new[]
        {
            CheckView("W_ih", () => rnn.WeightIh, dWih, Loss),
            CheckView("W_hh", () => rnn.WeightHh, dWhh, Loss),
            CheckView("b_ih", () => rnn.BiasIh, dbih, Loss),
            CheckView("b_hh", () => rnn.BiasHh, dbhh, Loss),
            CheckArray("xs", xs, dxs, Loss),
            CheckArray("h0", h0, dh0, Loss),
        });
    }

    [Fact]
    public void GradientsAccumulateAcrossBackwardCalls()
    {
        var rng = new Random(7);
        var rnn = new VanillaRnn(new ManagedBlas(), InputSize, Hidden, 3, 2);
        rnn.Initialize(rng);
        float[] xs = Uniform(rng, 3 * 2 * InputSize, 1.0), h0 = Uniform(rng, 2 * Hidden, 0.5), dhs = Uniform(rng, 3 * 2 * Hidden, 1.0);
        rnn.ZeroGrad();
        rnn.Forward(xs, h0, 3, 2);
        rnn.Backward(dhs, [], [], 3, 2);
        float[] once = rnn.Gradients.ToArray();
        rnn.Forward(xs, h0, 3, 2);
        rnn.Backward(dhs, [], [], 3, 2);
        for (int i = 0; i < once.Length; i++)
        {
            Assert.Equal(2 * once[i], rnn.Gradients[i], 5);
        }
        rnn.ZeroGrad();
        Assert.All(rnn.Gradients.ToArray(), g => Assert.Equal(0f, g));
    }
}
