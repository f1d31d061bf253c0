using DqnStudy.Nn.Blas;
using DqnStudy.Nn.Recurrent;
using static DqnStudy.Nn.Tests.Recurrent.RecurrentGradCheck;

namespace DqnStudy.Nn.Tests.Recurrent;

/// <summary>Bad input, allocation-free steps, checkpoints, initialisation.</summary>
public sealed class RecurrentContractTests
{
    [Fact]
    public void Rnn_WrongLengths_NameTheArgumentAndBothSizes()
    {
        var rnn = new VanillaRnn(new ManagedBlas(), 3, 4, maxSteps: 5, maxBatch: 2);
        var e = Assert.Throws<ArgumentException>("xs", () => rnn.Forward(new float[17], new float[8], 3, 2));
        Assert.Contains("17", e.Message);
        Assert.Contains("18", e.Message);
        e = Assert.Throws<ArgumentException>("h0", () => rnn.Forward(new float[18], new float[7], 3, 2));
        Assert.Contains("7", e.Message);
        Assert.Contains("8", e.Message);
        var range = Assert.Throws<ArgumentOutOfRangeException>("steps", () => rnn.Forward(new float[36], new float[8], 6, 2));
        Assert.Contains("6", range.Message);
        Assert.Contains("5", range.Message);
        Assert.Throws<ArgumentOutOfRangeException>("batch", () => rnn.Forward(new float[18], new float[12], 2, 3));
        Assert.Throws<ArgumentOutOfRangeException>("steps", () => rnn.Forward(new float[18], new float[8], 0, 2));

        rnn.Forward(new float[18], new float[8], 3, 2);
        e = Assert.Throws<ArgumentException>("dhs", () => rnn.Backward(new float[23], [], [], 3, 2));
        Assert.Contains("23", e.Message);
        Assert.Contains("24", e.Message);
        Assert.Throws<ArgumentException>("dxs", () => rnn.Backward(new float[24], new float[5], [], 3, 2));
        Assert.Throws<ArgumentException>("dh0", () => rnn.Backward(new float[24], [], new float[3], 3, 2));
        Assert.Throws<InvalidOperationException>(() => rnn.Backward(new float[16], [], [], 2, 2));
    }

    [Fact]
    public void Lstm_WrongLengths_NameTheArgumentAndBothSizes()
    {
        var lstm = new Lstm(new ManagedBlas(), 3, 4, maxSteps: 5, maxBatch: 2);
        Assert.Throws<ArgumentException>("xs", () => lstm.Forward(new float[17], new float[8], new float[8], 3, 2));
        Assert.Throws<ArgumentException>("h0", () => lstm.Forward(new float[18], new float[7], new float[8], 3, 2));
        var e = Assert.Throws<ArgumentException>("c0", () => lstm.Forward(new float[18], new float[8], new float[6], 3, 2));
        Assert.Contains("6", e.Message);
        Assert.Contains("8", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>("steps", () => lstm.Forward(new float[36], new float[8], new float[8], 6, 2));

        lstm.Forward(new float[18], new float[8], new float[8], 3, 2);
        Assert.Throws<ArgumentException>("dhs", () => lstm.Backward(new float[23], [], [], [], [], 3, 2));
        Assert.Throws<ArgumentException>("dcT", () => lstm.Backward(new float[24], new float[7], [], [], [], 3, 2));
        Assert.Throws<ArgumentException>("dc0", () => lstm.Backward(new float[24], [], [], [], new float[7], 3, 2));
        Assert.Throws<InvalidOperationException>(() => lstm.Backward(new float[24], [], [], [], [], 3, 1));
    }

    [Fact]
    public void ForwardAndBackward_AllocateNothingAfterWarmUp()
    {
        var rng = new Random(3);
        IBlas blas = new ManagedBlas();
        var rnn = new VanillaRnn(blas, 3, 8, 10, 4);
        var lstm = new Lstm(blas, 3, 8, 10, 4);
        rnn.Initialize(rng);
        lstm.Initialize(rng);
        float[] xs = Uniform(rng, 10 * 4 * 3, 1), h0 = Uniform(rng, 4 * 8, 0.5), dhs = Uniform(rng, 10 * 4 * 8, 1);
        float[] dxs = new float[xs.Length], dh0 = new float[h0.Length], dc0 = new float[h0.Length];
        void Step()
        {
            rnn.ZeroGrad();
            rnn.Forward(xs, h0, 10, 4);
            rnn.Backward(dhs, dxs, dh0, 10, 4);
            _ = rnn.HiddenGradientNorms;
            lstm.ZeroGrad();
            lstm.Forward(xs.AsSpan(0, 7 * 3 * 3), h0.AsSpan(0, 3 * 8), h0.AsSpan(0, 3 * 8), 7, 3);
            lstm.Backward(dhs.AsSpan(0, 7 * 3 * 8), h0.AsSpan(0, 3 * 8), dxs, dh0, dc0, 7, 3);
        }
        Step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++)
        {
            Step();
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void SaveLoad_RoundTripsAndRejectsAMismatch()
    {
        var rng = new Random(4);
        var lstm = new Lstm(new ManagedBlas(), 3, 4, 2, 1);
        lstm.Initialize(rng);
        using var stream = new MemoryStream();
        lstm.Save(new BinaryWriter(stream));
        byte[] saved = stream.ToArray();

        var copy = new Lstm(new ManagedBlas(), 3, 4, 9, 5);   // max sizes are buffers, not state
        copy.Load(new BinaryReader(new MemoryStream(saved)));
        Assert.Equal(lstm.Parameters.ToArray(), copy.Parameters.ToArray());

        var wider = new Lstm(new ManagedBlas(), 3, 5, 2, 1);
        var e = Assert.Throws<InvalidDataException>(() => wider.Load(new BinaryReader(new MemoryStream(saved))));
        Assert.Contains("hidden size is 4", e.Message);
        Assert.Contains("expects 5", e.Message);
        var rnn = new VanillaRnn(new ManagedBlas(), 3, 4, 2, 1);
        Assert.Throws<InvalidDataException>(() => rnn.Load(new BinaryReader(new MemoryStream(saved))));   // an LSTM is not an RNN
        var truncated = new Lstm(new ManagedBlas(), 3, 4, 2, 1);
        Assert.Throws<EndOfStreamException>(() => truncated.Load(new BinaryReader(new MemoryStream(saved[..^4]))));
        Assert.All(truncated.Parameters.ToArray(), p => Assert.Equal(0f, p));
    }

    [Fact]
    public void Initialize_IsTorchsUniformAndDeterministic()
    {
        var a = new VanillaRnn(new ManagedBlas(), 3, 16, 1, 1);
        var b = new VanillaRnn(new ManagedBlas(), 3, 16, 1, 1);
        a.Initialize(new Random(9));
        b.Initialize(new Random(9));
        Assert.Equal(a.Parameters.ToArray(), b.Parameters.ToArray());
        float bound = 1f / 4f;   // 1/√16
        Assert.All(a.Parameters.ToArray(), p => Assert.InRange(p, -bound, bound));
        Assert.True(a.Parameters.ToArray().Max() > 0.8f * bound, "U(−k, k) should come near its bound over 336 draws.");
        Assert.Equal(16 * 3 + 16 * 16 + 16 + 16, a.Parameters.Length);
        Assert.Equal(4 * (16 * 3 + 16 * 16 + 16 + 16), new Lstm(new ManagedBlas(), 3, 16, 1, 1).Parameters.Length);
    }
}
