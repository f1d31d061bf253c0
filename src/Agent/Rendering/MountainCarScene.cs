using System.Globalization;
using DqnStudy.Environments;

namespace DqnStudy.Agent.Rendering;

/// <summary>MountainCar from its observation (position, velocity): the hill y = 0.45·sin(3x) + 0.55 over the track,
/// the goal flag at x = 0.5 and the car on the curve.</summary>
public sealed class MountainCarScene : IScene
{
    public (double Left, double Right, double Bottom, double Top) Bounds => (MountainCar.MinPosition, MountainCar.MaxPosition, -0.05, 1.15);

    private static double Height(double x) => 0.45 * Math.Sin(3 * x) + 0.55;

    public void Draw(IPainter painter, ReadOnlySpan<float> o)
    {
        const int Segments = 60;
        double span = MountainCar.MaxPosition - MountainCar.MinPosition;
        for (int i = 0; i < Segments; i++)
        {
            double a = MountainCar.MinPosition + span * i / Segments, b = MountainCar.MinPosition + span * (i + 1) / Segments;
            painter.Line(a, Height(a), b, Height(b), Ink.Ground, 0.01);
        }
        double goal = MountainCar.GoalPosition;
        painter.Line(goal, Height(goal), goal, Height(goal) + 0.12, Ink.Body, 0.005);
        painter.Dot(goal + 0.02, Height(goal) + 0.11, 0.02, Ink.Goal);
        painter.Dot(o[0], Height(o[0]) + 0.04, 0.04, Ink.Pole);
    }

    public string Describe(ReadOnlySpan<float> o) => string.Create(CultureInfo.InvariantCulture,
        $"position {o[0],6:+0.000;-0.000} (goal ≥ 0.5)  velocity {o[1],7:+0.0000;-0.0000}");
}
