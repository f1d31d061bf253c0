namespace DqnStudy.Agent.Rendering;

/// <summary>An RGB24 image (row-major, top row first) that scenes paint in world coordinates: filled boxes, thick
/// lines and discs, no anti-aliasing (GIF palettes stay small).</summary>
public sealed class RgbCanvas : IPainter
{
    private readonly WorldMapping _map;

    public RgbCanvas(int width, int height, (double Left, double Right, double Bottom, double Top) bounds)
    {
        Width = width;
        Height = height;
        Pixels = new byte[3 * width * height];
        _map = new WorldMapping(bounds, width, height);
        Clear();
    }

    public int Width { get; }
    public int Height { get; }
    public byte[] Pixels { get; }

    public void Clear() => Pixels.AsSpan().Fill(255);

    public void Line(double x0, double y0, double x1, double y1, Ink ink, double width)
    {
        double c0 = _map.Column(x0), r0 = _map.Row(y0), c1 = _map.Column(x1), r1 = _map.Row(y1);
        double radius = Math.Max(0.75, _map.Length(width) / 2);   // ≥ 0.75: a hairline at a half-pixel row still hits pixels
        int steps = (int)Math.Ceiling(Math.Max(Math.Abs(c1 - c0), Math.Abs(r1 - r0))) + 1;
        for (int i = 0; i <= steps; i++)
        {
            double t = (double)i / steps;
            Disc(c0 + (c1 - c0) * t, r0 + (r1 - r0) * t, radius, ink);
        }
    }

    public void Box(double left, double bottom, double right, double top, Ink ink)
    {
        int c0 = (int)Math.Round(_map.Column(left)), c1 = (int)Math.Round(_map.Column(right));
        int r0 = (int)Math.Round(_map.Row(top)), r1 = (int)Math.Round(_map.Row(bottom));
        for (int r = r0; r <= r1; r++)
            for (int c = c0; c <= c1; c++) Set(c, r, ink);
    }

    public void Dot(double x, double y, double radius, Ink ink) => Disc(_map.Column(x), _map.Row(y), _map.Length(radius), ink);

    private void Disc(double column, double row, double radius, Ink ink)
    {
        int c0 = (int)Math.Floor(column - radius), c1 = (int)Math.Ceiling(column + radius);
        int r0 = (int)Math.Floor(row - radius), r1 = (int)Math.Ceiling(row + radius);
        for (int r = r0; r <= r1; r++)
            for (int c = c0; c <= c1; c++)
                if ((c - column) * (c - column) + (r - row) * (r - row) <= radius * radius) Set(c, r, ink);
    }

    private void Set(int column, int row, Ink ink)
    {
        if ((uint)column >= (uint)Width || (uint)row >= (uint)Height) return;
        int i = 3 * (row * Width + column);
        var (red, green, blue) = Colour(ink);
        Pixels[i] = red;
        Pixels[i + 1] = green;
        Pixels[i + 2] = blue;
    }

    // Gymnasium's classic-control palette: black track and cart, brown pole, blue-grey joints, yellow-green goal.
    private static (byte, byte, byte) Colour(Ink ink) => ink switch
    {
        Ink.Ground => (0, 0, 0),
        Ink.Body => (0, 0, 0),
        Ink.Pole => (202, 152, 101),
        Ink.Joint => (129, 132, 203),
        Ink.Goal => (204, 204, 0),
        _ => (255, 0, 255),
    };
}
