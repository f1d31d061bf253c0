using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.PixelFormats;

namespace DqnStudy.Agent.Rendering;

/// <summary>An animated GIF of RGB24 frames, looping forever, written through a temporary file and a rename.</summary>
public static class GifFile
{
    /// <param name="delayCentiseconds">time each frame shows, in 1/100 s (GIF's unit).</param>
    public static void Write(string path, IReadOnlyList<byte[]> frames, int width, int height, int delayCentiseconds = 3)
    {
        ArgumentNullException.ThrowIfNull(frames);
        if (frames.Count == 0) throw new ArgumentException("a GIF needs at least one frame.", nameof(frames));
        using var animation = Image.LoadPixelData<Rgb24>(frames[0], width, height);
        animation.Metadata.GetGifMetadata().RepeatCount = 0;
        animation.Frames.RootFrame.Metadata.GetGifMetadata().FrameDelay = delayCentiseconds;
        for (int i = 1; i < frames.Count; i++)
        {
            using var frame = Image.LoadPixelData<Rgb24>(frames[i], width, height);
            var added = animation.Frames.AddFrame(frame.Frames.RootFrame);
            added.Metadata.GetGifMetadata().FrameDelay = delayCentiseconds;
        }
        string temporary = path + ".tmp";
        using (var stream = File.Create(temporary)) animation.Save(stream, new GifEncoder());
        File.Move(temporary, path, overwrite: true);
    }
}
