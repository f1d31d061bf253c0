using DqnStudy.Nn.Blas;
using DqnStudy.Nn.Recurrent;
using static DqnStudy.Nn.Tests.Recurrent.RecurrentGradCheck;

namespace DqnStudy.Nn.Tests.Recurrent;

public sealed class LstmGradientTests
{
    private const int InputSize = 3;
    private const int Hidden = 4;

    // Hidden 11 runs the gate-gradient kernel's Vector256 body (8 lanes) and its scalar tail (3) in one row.
    public static TheoryData<int, int, int> Shapes() => new()
    {
        { 1, 1, Hidden }, { 1, 3, Hidden }, { 3, 1, Hidden }, { 3, 3, Hidden }, { 7, 1, Hidden }, { 7, 3, Hidden }, { 1, 2, 11 }, { 5, 2, 11 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void BackpropMatchesFiniteDifferences(int steps, int batch, int hidden)
    {
        var rng = new Random(2000 + 100 * hidden + 10 * steps + batch);
        var lstm = new Lstm(new ManagedBlas(), InputSize, hidden, steps, batch);
        lstm.Initialize(rng, scale: 2.0); // U(−1, 1): gates away from 0.5 yet not saturated
        float[] xs = Uniform(rng, steps * batch * InputSize, 1.0);
        float[] h0 = Uniform(rng, batch * hidden, 0.5);
        float[] c0 = Uniform(rng, batch * hidden, 1.0);
        float[] dhs = Uniform(rng, steps * batch * hidden, 1.0);
        float[] dcT = Uniform(rng, batch * hidden, 1.0);   // non-zero, so the final-cell path is checked too
        double Loss()
        {
            double sum = Dot(lstm.Forward(xs, h0, c0, steps, batch), dhs);
            return sum + Dot(lstm.FinalCell, dcT);
        }

        var dxs = new float[xs.Length];
        var dh0 = new float[h0.Length];
        var dc0 = new float[c0.Length];
        lstm.ZeroGrad();
        lstm.Forward(xs, h0, c0, steps, batch);
        lstm.Backward(dhs, dcT, dxs, dh0, dc0, steps, batch);
        float[] dWih = lstm.WeightIhGrad.ToArray(), dWhh = lstm.WeightHhGrad.ToArray();
        float[] dbih = lstm.BiasIhGrad.ToArray(), dbhh = lstm.BiasHhGrad.ToArray();

        AssertAll($"lstm T={steps} B={batch} H={hidden}", new[]
        {
            CheckView("W_ih", () => lstm.WeightIh, dWih, Loss),
            CheckView("W_hh", () => lstm.WeightHh, dWhh, Loss),
            CheckView("b_ih", () => lstm.BiasIh, dbih, Loss),
            CheckView("b_hh", () => lstm.BiasHh, dbhh, Loss),
            CheckArray("xs", xs, dxs, Loss),
            CheckArray("h0", h0, dh0, Loss),
            CheckArray("c0", c0, dc0, Loss),
        });
    }

    [Fact]
    public void EmptyDcTMeansZeroUpstreamOnTheFinalCell()
    {
        var rng = new Random(11);
        var lstm = new Lstm(new ManagedBlas(), InputSize, Hidden, 3, 2);
        lstm.Initialize(rng);
        float[] xs = Uniform(rng, 3 * 2 * InputSize, 1.0), h0 = Uniform(rng, 2 * Hidden, 0.5), c0 = Uniform(rng, 2 * Hidden, 0.5);
        float[] dhs = Uniform(rng, 3 * 2 * Hidden, 1.0);
        var withZeros = new float[2 * Hidden];
        var withEmpty = new float[2 * Hidden];
        lstm.Forward(xs, h0, c0, 3, 2);
        lstm.Backward(dhs, new float[2 * Hidden], [], withZeros, [], 3, 2);
        lstm.Backward(dhs, [], [], withEmpty, [], 3, 2);
        Assert.Equal(withZeros, withEmpty);
    }

    [Fact]
    public void GradientsAccumulateAcrossBackwardCalls()
    {
        var rng = new Random(12);
        var lstm = new Lstm(new ManagedBlas(), InputSize, Hidden, 2, 2);
        lstm.Initialize(rng);
        float[] xs = Uniform(rng, 2 * 2 * InputSize, 1.0), h0 = Uniform(rng, 2 * Hidden, 0.5), c0 = Uniform(rng, 2 * Hidden, 0.5);
        float[] dhs = Uniform(rng, 2 * 2 * Hidden, 1.0);
        lstm.ZeroGrad();
        lstm.Forward(xs, h0, c0, 2, 2);
        lstm.Backward(dhs, [], [], [], [], 2, 2);
        float[] once = lstm.Gradients.ToArray();
        lstm.Backward(dhs, [], [], [], [], 2, 2);
        for (int i = 0; i < once.Length; i++)
        {
            Assert.Equal(2 * once[i], lstm.Gradients[i], 5);
        }
    }
}
