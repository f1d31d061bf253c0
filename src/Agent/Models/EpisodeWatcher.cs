using System.Globalization;
using DqnStudy.Agent.Rendering;

namespace DqnStudy.Agent.Models;

/// <summary>Shows one episode as it is played: text frames on the output (redrawn in place on a terminal, paced to
/// the frame rate), and the RGB frames kept for a GIF and/or written as frame-00000.png … into a folder.</summary>
public sealed class EpisodeWatcher(FrameRenderer renderer, TextWriter output, bool terminal, EvaluateOptions options)
{
    private readonly List<byte[]> _gifFrames = [];
    private int _frame;

    public void Watch(ReadOnlySpan<float> observation, PlayedStep? step)
    {
        if (options.RenderText)
        {
            string status = step is { } s
                ? string.Create(CultureInfo.InvariantCulture, $"step {s.Step}  action {s.Action}  reward {s.Reward:0.##}  return {s.Return:0.##}")
                : "reset";
            if (terminal) output.Write("\u001b[H\u001b[2J");
            output.WriteLine(renderer.Text(observation));
            output.WriteLine(status);
            if (!terminal) output.WriteLine();
            if (terminal && options.FramesPerSecond > 0) Thread.Sleep(TimeSpan.FromSeconds(1 / options.FramesPerSecond));
        }
        if (options.Gif is not null || options.FramesFolder is not null)
        {
            byte[] rgb = renderer.Rgb(observation);
            if (options.Gif is not null) _gifFrames.Add(rgb);
            if (options.FramesFolder is { } folder)
            {
                Directory.CreateDirectory(folder);
                File.WriteAllBytes(Path.Combine(folder, $"frame-{_frame:D5}.png"), PngFrame.Encode(rgb, renderer.Width, renderer.Height));
            }
        }
        _frame++;
    }

    public void Finish()
    {
        if (options.Gif is { } path)
        {
            GifFile.Write(path, _gifFrames, renderer.Width, renderer.Height);
            output.WriteLine($"wrote {path} ({_gifFrames.Count} frames)");
        }
        if (options.FramesFolder is { } folder) output.WriteLine($"wrote {_frame} PNG frames to {folder}");
    }
}
