namespace DqnStudy.Agent.Rendering;

/// <summary>World coordinates (y up) to a grid of columns × rows (row 0 at the top), keeping the world's aspect ratio
/// by `cellAspect` (a terminal cell is about twice as tall as wide; a pixel is square).</summary>
public sealed class WorldMapping
{
    private readonly double _scaleX, _scaleY, _offsetX, _offsetY;

    public WorldMapping((double Left, double Right, double Bottom, double Top) bounds, int columns, int rows, double cellAspect = 1)
    {
        double width = bounds.Right - bounds.Left, height = bounds.Top - bounds.Bottom;
        double scale = Math.Min(columns / width, rows * cellAspect / height);
        _scaleX = scale;
        _scaleY = scale / cellAspect;
        _offsetX = (columns - width * _scaleX) / 2 - bounds.Left * _scaleX;
        _offsetY = (rows - height * _scaleY) / 2 + bounds.Top * _scaleY;
    }

    public double Column(double x) => x * _scaleX + _offsetX;

    public double Row(double y) => _offsetY - y * _scaleY;

    /// <summary>A world length along x in columns.</summary>
    public double Length(double world) => world * _scaleX;
}
