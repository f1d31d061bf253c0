using DqnStudy.Agent.Rendering;
using DqnStudy.Environments;

namespace DqnStudy.Agent.Tests.Rendering;

public sealed class SceneTests
{
    private static string[] Text(IScene scene, float[] observation)
    {
        var canvas = new TextCanvas(60, 12, scene.Bounds);
        scene.Draw(canvas, observation);
        return canvas.ToString().Split('\n');
    }

    /// <summary>Mean column of the pole's characters in the topmost row that has any.</summary>
    private static double PoleTopColumn(string[] lines) =>
        lines.Select(l => l.Select((c, i) => (c, i)).Where(p => p.c is '|' or '/' or '\\').ToArray())
             .First(row => row.Length > 0).Average(p => p.i);

    private static int CartColumn(string[] lines) => lines.First(l => l.Contains('[')).IndexOf('[') + 3;

    [Fact]
    public void CartPoleDrawsTheCartAtXAndThePoleLeaningWithTheta()
    {
        var scene = new CartPoleScene();
        string[] upright = Text(scene, [0f, 0, 0, 0]);
        Assert.Equal(CartColumn(upright), PoleTopColumn(upright), 1.0);
        string[] right = Text(scene, [0f, 0, 0.6f, 0]);
        Assert.True(PoleTopColumn(right) > CartColumn(right) + 3, string.Join('\n', right));
        string[] left = Text(scene, [0f, 0, -0.6f, 0]);
        Assert.True(PoleTopColumn(left) < CartColumn(left) - 3, string.Join('\n', left));
        string[] moved = Text(scene, [1.5f, 0, 0, 0]);
        Assert.True(CartColumn(moved) > CartColumn(upright) + 10);
    }

    [Fact]
    public void RgbFramesPutThePoleColourWhereThePoleIs()
    {
        var env = EnvironmentRegistry.Make("CartPole-v1");
        var renderer = FrameRenderer.For(env)!;
        byte[] upright = renderer.Rgb([0f, 0, 0, 0]);
        byte[] leaning = renderer.Rgb([0f, 0, 0.4f, 0]);
        int Pole(byte[] rgb, int row) => Enumerable.Range(0, renderer.Width)
            .Where(c => rgb[3 * (row * renderer.Width + c)] == 202 && rgb[3 * (row * renderer.Width + c) + 1] == 152).DefaultIfEmpty(-1).Max();
        int topRow = renderer.Height / 3;
        Assert.InRange(Pole(upright, topRow), renderer.Width / 2 - 6, renderer.Width / 2 + 6);
        Assert.True(Pole(leaning, topRow) > renderer.Width / 2 + 20);
    }

    [Fact]
    public void AcrobotsTipAndMountainCarsPositionAreReported()
    {
        // Both links straight up: tip height 2; the car at the goal position.
        Assert.Contains("tip height +2.00", new AcrobotScene().Describe([-1f, 0, 1, 0, 0, 0]));
        Assert.Contains("position +0.500", new MountainCarScene().Describe([0.5f, 0]));
    }

    [Fact]
    public void ObservationsWithoutThePictureGetNoRenderer()
    {
        Assert.NotNull(FrameRenderer.For(EnvironmentRegistry.Make("MountainCar-v0")));
        Assert.NotNull(FrameRenderer.For(EnvironmentRegistry.Make("MinAtar/Breakout-v1")));
        Assert.Null(FrameRenderer.For(EnvironmentRegistry.Make("CartPoleFlicker-v1")));
    }
}
