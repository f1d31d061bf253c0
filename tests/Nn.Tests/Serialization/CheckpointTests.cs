using DqnStudy.Nn.Blas;
using DqnStudy.Nn.Init;
using DqnStudy.Nn.Layers;
using DqnStudy.Nn.Optim;

namespace DqnStudy.Nn.Tests.Serialization;

public sealed class CheckpointTests
{
    private static Mlp Network(int hidden = 8, Activation activation = Activation.LeakyRelu, int seed = 1)
    {
        var mlp = new Mlp(new ManagedBlas(), 4, [hidden, 6], 2, activation, 4, leakySlope: 0.05f);
        mlp.Initialize(InitScheme.TorchDefault, 1.0, new Random(seed));
        return mlp;
    }

    private static byte[] Save(Mlp mlp)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            mlp.Save(writer);
        }
        return stream.ToArray();
    }

    private static void Load(Mlp mlp, byte[] bytes)
    {
        using var reader = new BinaryReader(new MemoryStream(bytes));
        mlp.Load(reader);
    }

    [Fact]
    public void RoundTripRestoresEveryParameterBitForBit()
    {
        Mlp source = Network(seed: 1);
        byte[] bytes = Save(source);
        Assert.Equal("DQNS"u8.ToArray(), bytes[..4]);
        Mlp restored = Network(seed: 2);
        Load(restored, bytes);
        Assert.Equal(
            Array.ConvertAll(source.Parameters.Values.ToArray(), BitConverter.SingleToInt32Bits),
            Array.ConvertAll(restored.Parameters.Values.ToArray(), BitConverter.SingleToInt32Bits));
        float[] x = [0.5f, -1f, 2f, 0.25f];
        Assert.Equal(source.Forward(x, 1).ToArray(), restored.Forward(x, 1).ToArray());
    }

    [Fact]
    public void WrongMagicIsRejected()
    {
        byte[] bytes = Save(Network());
        bytes[0] = (byte)'X';
        var e = Assert.Throws<InvalidDataException>(() => Load(Network(), bytes));
        Assert.Contains("magic", e.Message);
    }

    [Fact]
    public void WrongVersionIsRejected()
    {
        byte[] bytes = Save(Network());
        BitConverter.TryWriteBytes(bytes.AsSpan(4), 99);
        var e = Assert.Throws<InvalidDataException>(() => Load(Network(), bytes));
        Assert.Contains("version is 99", e.Message);
    }

    [Theory]
    [InlineData(12, Activation.LeakyRelu)]   // a hidden width differs
    [InlineData(8, Activation.Tanh)]         // an activation differs
    public void ADifferentArchitectureIsRejectedBeforeThePayload(int hidden, Activation activation)
    {
        byte[] bytes = Save(Network(hidden, activation));
        Mlp target = Network();
        float[] before = target.Parameters.Values.ToArray();
        var e = Assert.Throws<InvalidDataException>(() => Load(target, bytes));
        Assert.Contains("mismatch", e.Message);
        Assert.Equal(before, target.Parameters.Values.ToArray());
    }

    [Fact]
    public void AHostileParameterCountIsRejectedWithoutAllocating()
    {
        Mlp network = Network();
        byte[] bytes = Save(network);
        int countOffset = bytes.Length - network.Parameters.Count * sizeof(float) - sizeof(int);
        Assert.Equal(network.Parameters.Count, BitConverter.ToInt32(bytes, countOffset));
        BitConverter.TryWriteBytes(bytes.AsSpan(countOffset), int.MaxValue);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<InvalidDataException>(() => Load(network, bytes));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, "Load allocated a buffer sized by the file.");
        Assert.Contains("parameter count is 2147483647", e.Message);
    }

    [Fact]
    public void EveryTruncationIsRejected()
    {
        byte[] bytes = Save(Network());
        foreach (int length in new[] { 0, 2, 4, 7, 8, 20, bytes.Length / 2, bytes.Length - 1 })
        {
            var e = Assert.Throws<InvalidDataException>(() => Load(Network(), bytes[..length]));
            Assert.Contains("truncated", e.Message);
        }
    }

    [Fact]
    public void OptimiserStateRoundTripsAndContinuesIdentically()
    {
        var rng = new Random(3);
        float[] p1 = [.. Enumerable.Range(0, 20).Select(_ => (float)rng.NextDouble())];
        float[] g = [.. Enumerable.Range(0, 20).Select(_ => (float)rng.NextDouble() - 0.5f)];
        IOptimizer[] pairs = [new Adam(20, 0.01f), new RmsProp(20, 0.01f, centered: true, momentum: 0.5f), new Sgd(20, 0.1f, 0.9f), new DeepMindRmsProp(20, 2.5e-4f)];
        IOptimizer[] fresh = [new Adam(20, 0.01f), new RmsProp(20, 0.01f, centered: true, momentum: 0.5f), new Sgd(20, 0.1f, 0.9f), new DeepMindRmsProp(20, 2.5e-4f)];
        for (int k = 0; k < pairs.Length; k++)
        {
            float[] a = (float[])p1.Clone();
            pairs[k].Step(a, g);
            pairs[k].Step(a, g);
            using var stream = new MemoryStream();
            pairs[k].Save(new BinaryWriter(stream));
            stream.Position = 0;
            fresh[k].Load(new BinaryReader(stream));
            Assert.Equal(2, fresh[k].StepCount);
            float[] b = (float[])a.Clone();
            pairs[k].Step(a, g);
            fresh[k].Step(b, g);
            Assert.Equal(a, b);
        }
    }

    [Fact]
    public void OptimiserStateOfAnotherKindOrSizeIsRejected()
    {
        using var stream = new MemoryStream();
        new Adam(20, 0.01f).Save(new BinaryWriter(stream));
        byte[] bytes = stream.ToArray();
        Assert.Throws<InvalidDataException>(() => new Sgd(20, 0.1f, 0.9f).Load(new BinaryReader(new MemoryStream(bytes))));
        var e = Assert.Throws<InvalidDataException>(() => new Adam(21, 0.01f).Load(new BinaryReader(new MemoryStream(bytes))));
        Assert.Contains("mismatch", e.Message);
        e = Assert.Throws<InvalidDataException>(() => new Adam(20, 0.01f).Load(new BinaryReader(new MemoryStream(bytes[..^3]))));
        Assert.Contains("truncated", e.Message);
    }
}
