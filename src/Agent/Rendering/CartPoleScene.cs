using System.Globalization;
using DqnStudy.Environments;

namespace DqnStudy.Agent.Rendering;

/// <summary>CartPole from its observation (x, ẋ, θ, θ̇): the track over ±x_threshold, the cart at x and the pole
/// (length 2·0.5) at angle θ from upright, positive leaning right, as Gymnasium draws it.</summary>
public sealed class CartPoleScene : IScene
{
    private const double CartHalfWidth = 0.25, CartHeight = 0.3, PoleLength = 2 * CartPole.Length;

    public (double Left, double Right, double Bottom, double Top) Bounds => (-CartPole.XThreshold - 0.3, CartPole.XThreshold + 0.3, -0.2, 1.5);

    public void Draw(IPainter painter, ReadOnlySpan<float> observation)
    {
        double x = observation[0], theta = observation[2];
        painter.Line(-CartPole.XThreshold - 0.3, 0, CartPole.XThreshold + 0.3, 0, Ink.Ground, 0.02);
        painter.Box(x - CartHalfWidth, 0, x + CartHalfWidth, CartHeight, Ink.Body);
        double pivotY = CartHeight;
        painter.Line(x, pivotY, x + PoleLength * Math.Sin(theta), pivotY + PoleLength * Math.Cos(theta), Ink.Pole, 0.08);
        painter.Dot(x, pivotY, 0.04, Ink.Joint);
    }

    public string Describe(ReadOnlySpan<float> o) => string.Create(CultureInfo.InvariantCulture,
        $"x {o[0],6:+0.00;-0.00}  ẋ {o[1],6:+0.00;-0.00}  θ {o[2] * 180 / Math.PI,6:+0.0;-0.0}°  θ̇ {o[3],6:+0.00;-0.00}");
}
