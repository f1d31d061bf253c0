using DqnStudy.Environments.MinAtar;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;

namespace DqnStudy.Agent.Rendering;

/// <summary>PNG files of MinAtar frames: the environment draws the RGB pixels (<see cref="MinAtarFrame"/>, MinAtar's
/// own colours), this only encodes them, so DqnStudy.Environments stays free of image libraries.</summary>
public static class PngFrame
{
    /// <summary>PNG bytes of an RGB24 image, row-major, top row first.</summary>
    public static byte[] Encode(ReadOnlySpan<byte> rgb, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (rgb.Length != 3 * width * height)
        {
            throw new ArgumentException($"a {width}×{height} RGB image has {3 * width * height} bytes but the span has {rgb.Length}.", nameof(rgb));
        }

        using Image<Rgb24> image = Image.LoadPixelData<Rgb24>(rgb, width, height);
        using var stream = new MemoryStream();
        image.Save(stream, new PngEncoder { ColorType = PngColorType.Rgb, BitDepth = PngBitDepth.Bit8 });
        return stream.ToArray();
    }

    /// <summary>PNG bytes of a (C, 10, 10) MinAtar observation, each cell <paramref name="cellPixels"/> square.</summary>
    public static byte[] EncodeState(ReadOnlySpan<float> chw, int channels, int cellPixels = 16)
    {
        byte[] rgb = new byte[MinAtarFrame.ByteCount(cellPixels)];
        MinAtarFrame.Render(chw, channels, MinAtarPalette.Colors(channels), rgb, cellPixels);
        int side = MinAtarGame.Size * cellPixels;
        return Encode(rgb, side, side);
    }

    /// <summary>Writes <see cref="EncodeState"/>'s PNG to <paramref name="path"/> (through a temporary file, so a
    /// crash never leaves half an image).</summary>
    public static void SaveState(string path, ReadOnlySpan<float> chw, int channels, int cellPixels = 16)
    {
        byte[] png = EncodeState(chw, channels, cellPixels);
        string temporary = path + ".tmp";
        File.WriteAllBytes(temporary, png);
        File.Move(temporary, path, overwrite: true);
    }
}
