namespace DqnStudy.Nn.Optim;

internal static class Hyper
{
    public static void RequireNonNegative(float value, string name)
    {
        if (!(value >= 0f) || float.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be finite and non-negative.");
        }
    }

    public static void RequireUnitInterval(float value, string name)
    {
        if (!(value >= 0f && value < 1f))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [0, 1).");
        }
    }
}
