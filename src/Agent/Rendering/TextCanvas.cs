namespace DqnStudy.Agent.Rendering;

/// <summary>A grid of characters that scenes paint in world coordinates, for frames in a terminal: a terminal cell
/// is about twice as tall as wide, so the mapping squeezes y by two.</summary>
public sealed class TextCanvas : IPainter
{
    private readonly char[] _cells;
    private readonly WorldMapping _map;

    public TextCanvas(int columns, int rows, (double Left, double Right, double Bottom, double Top) bounds)
    {
        Columns = columns;
        Rows = rows;
        _cells = new char[columns * rows];
        _map = new WorldMapping(bounds, columns, rows, cellAspect: 2);
        Clear();
    }

    public int Columns { get; }
    public int Rows { get; }

    public void Clear() => _cells.AsSpan().Fill(' ');

    public void Line(double x0, double y0, double x1, double y1, Ink ink, double width)
    {
        double c0 = _map.Column(x0), r0 = _map.Row(y0), c1 = _map.Column(x1), r1 = _map.Row(y1);
        int steps = (int)Math.Ceiling(Math.Max(Math.Abs(c1 - c0), Math.Abs(r1 - r0))) + 1;
        char glyph = Glyph(ink, c1 - c0, r1 - r0);
        for (int i = 0; i <= steps; i++)
        {
            double t = (double)i / steps;
            Set(c0 + (c1 - c0) * t, r0 + (r1 - r0) * t, glyph);
        }
    }

    public void Box(double left, double bottom, double right, double top, Ink ink)
    {
        int c0 = (int)Math.Round(_map.Column(left)), c1 = (int)Math.Round(_map.Column(right));
        int r0 = (int)Math.Round(_map.Row(top)), r1 = (int)Math.Round(_map.Row(bottom));
        for (int r = r0; r <= r1; r++)
            for (int c = c0; c <= c1; c++) Set(c, r, c == c0 ? '[' : c == c1 ? ']' : '#');
    }

    public void Dot(double x, double y, double radius, Ink ink) => Set(_map.Column(x), _map.Row(y), ink == Ink.Goal ? 'F' : 'o');

    public override string ToString()
    {
        return string.Join('\n', Enumerable.Range(0, Rows).Select(r => new string(_cells, r * Columns, Columns).TrimEnd()));
    }

    private void Set(double column, double row, char glyph)
    {
        int c = (int)Math.Round(column), r = (int)Math.Round(row);
        if ((uint)c >= (uint)Columns || (uint)r >= (uint)Rows) return;
        _cells[r * Columns + c] = glyph;
    }

    /// <summary>A stroke's character by its slope on screen (rows grow downwards): '|', '/', '\' or '-'; '=' for ground.</summary>
    private static char Glyph(Ink ink, double dColumn, double dRow)
    {
        if (ink == Ink.Ground) return '=';
        if (ink == Ink.Goal) return '-';
        double angle = Math.Atan2(-dRow, dColumn) * 180 / Math.PI;   // on-screen angle, y up
        angle = (angle + 180) % 180;
        return angle switch
        {
            < 22.5 or >= 157.5 => '-',
            < 67.5 => '/',
            < 112.5 => '|',
            _ => '\\',
        };
    }
}
