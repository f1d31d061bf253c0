using DqnStudy.Nn.Blas;
using DqnStudy.Nn.Init;
using DqnStudy.Nn.Layers;
using DqnStudy.Nn.Tests.Layers;

namespace DqnStudy.Nn.Tests.Serialization;

/// <summary>Network files (format 2) carry the input image and every convolution window; format-1 files of
/// dense-only networks still load.</summary>
public sealed class ConvCheckpointTests
{
    private static Mlp Network(LayerSpec[] specs, int seed, ImageShape? image = null)
    {
        var network = new Mlp(new ManagedBlas(), specs, image ?? new ImageShape(4, 10, 10), 2);
        network.Initialize(InitScheme.TorchDefault, 1.0, new Random(seed));
        return network;
    }

    private static byte[] Save(Mlp network)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            network.Save(writer);
        }
        return stream.ToArray();
    }

    private static void Load(Mlp network, byte[] bytes)
    {
        using var reader = new BinaryReader(new MemoryStream(bytes));
        network.Load(reader);
    }

    [Fact]
    public void AConvNetworkRoundTripsBitForBit()
    {
        Mlp source = Network(ConvNetworkTests.MinAtar(3), 1);
        Mlp restored = Network(ConvNetworkTests.MinAtar(3), 2);
        Load(restored, Save(source));
        Assert.Equal(
            Array.ConvertAll(source.Parameters.Values.ToArray(), BitConverter.SingleToInt32Bits),
            Array.ConvertAll(restored.Parameters.Values.ToArray(), BitConverter.SingleToInt32Bits));
        float[] x = Kernels.FiniteDifference.Random(new Random(3), 400);
        Assert.Equal(source.Forward(x, 1).ToArray(), restored.Forward(x, 1).ToArray());
    }

    public static TheoryData<string> Differences() => ["stride", "padding", "kernel", "filters", "image"];

    [Theory]
    [MemberData(nameof(Differences))]
    public void ADifferentConvolutionIsRejectedBeforeThePayload(string difference)
    {
        LayerSpec[] specs = ConvNetworkTests.MinAtar(3);
        (LayerSpec conv, ImageShape image) = difference switch
        {
            "stride" => (LayerSpec.Conv2d(16, new ConvWindow(3, 3, 1, 2)), new ImageShape(4, 10, 15)),
            "padding" => (LayerSpec.Conv2d(16, new ConvWindow(3, 3, 1, 1, 1, 0)), new ImageShape(4, 8, 10)),
            "kernel" => (LayerSpec.Conv2d(16, new ConvWindow(3, 2)), new ImageShape(4, 10, 9)),
            "filters" => (LayerSpec.Conv2d(32, 3), new ImageShape(4, 10, 10)),
            _ => (LayerSpec.Conv2d(16, 3), new ImageShape(2, 20, 10)),
        };
        byte[] bytes = Save(Network([conv, .. specs[1..]], 1, image));
        Mlp target = Network(specs, 2);
        float[] before = target.Parameters.Values.ToArray();
        var e = Assert.Throws<InvalidDataException>(() => Load(target, bytes));
        Assert.Contains("mismatch", e.Message);
        Assert.Equal(before, target.Parameters.Values.ToArray());
    }

    [Fact]
    public void ADenseNetworkFileOfFormatOneStillLoads()
    {
        var network = new Mlp(new ManagedBlas(), 4, [8], 2, Activation.Relu, 1);
        network.Initialize(InitScheme.TorchDefault, 1.0, new Random(1));
        float[] values = network.Parameters.Values.ToArray();
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            // Format 1 as the previous build wrote it: no input image, no convolution windows.
            writer.Write("DQNS"u8);
            writer.Write(1);
            writer.Write(4);
            writer.Write(network.Specs.Count);
            foreach (LayerSpec spec in network.Specs)
            {
                writer.Write((int)spec.Kind);
                writer.Write(spec.OutputSize);
                writer.Write((int)spec.Function);
                writer.Write(spec.Slope);
            }
            writer.Write(values.Length);
            foreach (float v in values)
            {
                writer.Write(v);
            }
        }
        byte[] bytes = stream.ToArray();
        network.Initialize(InitScheme.TorchDefault, 1.0, new Random(2));
        Load(network, bytes);
        Assert.Equal(values, network.Parameters.Values.ToArray());

        BitConverter.TryWriteBytes(bytes.AsSpan(4), 3);
        var e = Assert.Throws<InvalidDataException>(() => Load(network, bytes));
        Assert.Contains("format version is 3 but this build reads versions 1 to 2", e.Message);
    }

    [Fact]
    public void AFormatOneFileIsRejectedByANetworkOnImages()
    {
        var dense = new Mlp(new ManagedBlas(), [LayerSpec.Flatten(), LayerSpec.Dense(3)], new ImageShape(4, 10, 10), 1);
        byte[] bytes = Save(dense);
        BitConverter.TryWriteBytes(bytes.AsSpan(4), 1);   // claim format 1
        var e = Assert.Throws<InvalidDataException>(() => Load(dense, bytes));
        Assert.Contains("network on vectors (format 1) but this one reads 4×10×10 images", e.Message);
    }
}
