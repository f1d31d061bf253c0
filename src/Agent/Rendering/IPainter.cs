namespace DqnStudy.Agent.Rendering;

/// <summary>What a scene draws with: the role of a stroke, which each surface turns into a colour or a character.</summary>
public enum Ink { Ground, Body, Pole, Joint, Goal }

/// <summary>A drawing surface in world coordinates (y up), so one scene description gives both the terminal's
/// characters (<see cref="TextCanvas"/>) and the PNG/GIF pixels (<see cref="RgbCanvas"/>).</summary>
public interface IPainter
{
    void Line(double x0, double y0, double x1, double y1, Ink ink, double width);

    void Box(double left, double bottom, double right, double top, Ink ink);

    void Dot(double x, double y, double radius, Ink ink);
}

/// <summary>A classic-control picture drawn from an observation alone (no access to the environment's internals).</summary>
public interface IScene
{
    /// <summary>World x range and y range the picture spans.</summary>
    (double Left, double Right, double Bottom, double Top) Bounds { get; }

    void Draw(IPainter painter, ReadOnlySpan<float> observation);

    /// <summary>One status line: the observation's physical meaning.</summary>
    string Describe(ReadOnlySpan<float> observation);
}
