using System.Globalization;

namespace DqnStudy.Agent.Rendering;

/// <summary>Acrobot from its observation (cos θ1, sin θ1, cos θ2, sin θ2, θ̇1, θ̇2): two unit links hanging from
/// the origin at θ1 = 0, the second at θ2 relative to the first, and the goal line one link length above the pivot.</summary>
public sealed class AcrobotScene : IScene
{
    public (double Left, double Right, double Bottom, double Top) Bounds => (-2.2, 2.2, -2.2, 2.2);

    public void Draw(IPainter painter, ReadOnlySpan<float> o)
    {
        double c1 = o[0], s1 = o[1], c2 = o[2], s2 = o[3];
        double c12 = c1 * c2 - s1 * s2, s12 = s1 * c2 + c1 * s2;
        double x1 = s1, y1 = -c1, x2 = x1 + s12, y2 = y1 - c12;
        painter.Line(-2.2, 1, 2.2, 1, Ink.Goal, 0.02);
        painter.Line(0, 0, x1, y1, Ink.Pole, 0.1);
        painter.Line(x1, y1, x2, y2, Ink.Pole, 0.1);
        painter.Dot(0, 0, 0.06, Ink.Joint);
        painter.Dot(x1, y1, 0.06, Ink.Joint);
    }

    public string Describe(ReadOnlySpan<float> o)
    {
        double c1 = o[0], s1 = o[1], c2 = o[2], s2 = o[3];
        double height = -c1 - (c1 * c2 - s1 * s2);
        return string.Create(CultureInfo.InvariantCulture,
            $"θ1 {Math.Atan2(s1, c1) * 180 / Math.PI,7:+0.0;-0.0}°  θ2 {Math.Atan2(s2, c2) * 180 / Math.PI,7:+0.0;-0.0}°  tip height {height,5:+0.00;-0.00} (goal > 1)");
    }
}
