using DqnStudy.Agent.Rendering;
using DqnStudy.Environments;
using DqnStudy.Environments.MinAtar;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace DqnStudy.Agent.Tests.Rendering;

public sealed class PngFrameTests
{
    [Fact]
    public void EncodedStateDecodesToTheFramePixels()
    {
        foreach (string id in new[] { "MinAtar/Seaquest-v0", "MinAtar/SpaceInvaders-v1", "MinAtar/Freeway-v1" })
        {
            var env = (MinAtarEnvironment)EnvironmentRegistry.Make(id);
            env.Reset(3);
            for (int i = 0; i < 40; i++)
            {
                if (env.Step(i % env.ActionSpace.N).Done)
                {
                    break;
                }
            }

            int channels = env.Game.ChannelCount;
            const int cell = 5;
            byte[] png = PngFrame.EncodeState(env.CurrentObservation, channels, cell);
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);

            byte[] expected = new byte[MinAtarFrame.ByteCount(cell)];
            MinAtarFrame.Render(env.CurrentObservation, channels, MinAtarPalette.Colors(channels), expected, cell);
            using Image<Rgb24> decoded = Image.Load<Rgb24>(png);
            Assert.Equal(10 * cell, decoded.Width);
            Assert.Equal(10 * cell, decoded.Height);
            byte[] actual = new byte[expected.Length];
            decoded.CopyPixelDataTo(actual);
            Assert.Equal(expected, actual);
            Assert.True(expected.Distinct().Count() > 2, $"{id}: the frame should not be blank");
        }
    }

    [Fact]
    public void SaveStateWritesAReadablePngAndNoTemporaryFile()
    {
        string folder = Path.Combine(Path.GetTempPath(), "dqnstudy-png-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var env = (MinAtarEnvironment)EnvironmentRegistry.Make("MinAtar/Breakout-v1");
            env.Reset(1);
            string path = Path.Combine(folder, "frame.png");
            PngFrame.SaveState(path, env.CurrentObservation, 4, cellPixels: 2);
            using Image<Rgb24> decoded = Image.Load<Rgb24>(path);
            Assert.Equal(20, decoded.Width);
            Assert.Equal([Path.GetFileName(path)], Directory.GetFiles(folder).Select(Path.GetFileName));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void WrongSizesThrowWithBothSizes()
    {
        var e = Assert.Throws<ArgumentException>(() => PngFrame.Encode(new byte[10], 2, 2));
        Assert.Contains("12", e.Message);
        Assert.Contains("10", e.Message);
    }
}
