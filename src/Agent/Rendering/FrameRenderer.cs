using DqnStudy.Environments;
using DqnStudy.Environments.MinAtar;

namespace DqnStudy.Agent.Rendering;

/// <summary>
/// Pictures of an environment drawn from the observations the agent sees: a block of characters for the terminal
/// and an RGB24 image for PNG frames and GIFs. Classic control goes through its <see cref="IScene"/>, MinAtar through
/// its own text and colour frames (one character and one colour per channel). Null from <see cref="For"/> when the
/// observation does not carry the picture (e.g. a velocity-masked or flickering CartPole).
/// </summary>
public sealed class FrameRenderer
{
    private readonly IScene? _scene;
    private readonly MinAtarGame? _game;
    private readonly RgbCanvas? _rgb;
    private readonly TextCanvas? _text;
    private const int CellPixels = 16;

    private FrameRenderer(IScene? scene, MinAtarGame? game)
    {
        _scene = scene;
        _game = game;
        if (scene is not null)
        {
            _rgb = new RgbCanvas(360, 240, scene.Bounds);
            _text = new TextCanvas(60, 12, scene.Bounds);
            Width = _rgb.Width;
            Height = _rgb.Height;
        }
        else
        {
            Width = Height = MinAtarGame.Size * CellPixels;
        }
    }

    public int Width { get; }
    public int Height { get; }

    public static FrameRenderer? For(IEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        IEnvironment inner = environment.Unwrapped;
        if (environment.Id != inner.Id && environment.ObservationSpace.Size != inner.ObservationSpace.Size) return null;
        if (environment.Id.Contains("Flicker", StringComparison.Ordinal)) return null;
        return inner switch
        {
            CartPole => new FrameRenderer(new CartPoleScene(), null),
            Acrobot => new FrameRenderer(new AcrobotScene(), null),
            MountainCar => new FrameRenderer(new MountainCarScene(), null),
            MinAtarEnvironment minAtar => new FrameRenderer(null, minAtar.Game),
            _ => null,
        };
    }

    /// <summary>The picture as lines of text (no trailing newline), followed by a status line.</summary>
    public string Text(ReadOnlySpan<float> observation)
    {
        if (_game is not null) return MinAtarText.Render(observation, MinAtarText.Glyphs(_game.Name));
        _text!.Clear();
        _scene!.Draw(_text, observation);
        return _text + "\n" + _scene.Describe(observation);
    }

    /// <summary>The picture as RGB24 bytes (Width × Height, top row first); a new array each call.</summary>
    public byte[] Rgb(ReadOnlySpan<float> observation)
    {
        if (_game is not null)
        {
            byte[] rgb = new byte[MinAtarFrame.ByteCount(CellPixels)];
            MinAtarFrame.Render(observation, _game.ChannelCount, MinAtarPalette.Colors(_game.ChannelCount), rgb, CellPixels);
            return rgb;
        }
        _rgb!.Clear();
        _scene!.Draw(_rgb, observation);
        return (byte[])_rgb.Pixels.Clone();
    }
}
