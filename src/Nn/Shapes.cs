namespace DqnStudy.Nn;

/// <summary>Argument checks shared by every kernel: a wrong size names the argument and both sizes.</summary>
public static class Shapes
{
    public static void Require(ReadOnlySpan<float> span, int needed, string name)
    {
        if (span.Length < needed)
        {
            throw new ArgumentException($"{name} has {span.Length} elements but {needed} are needed.", name);
        }
    }

    public static void Require(ReadOnlySpan<int> span, int needed, string name)
    {
        if (span.Length < needed)
        {
            throw new ArgumentException($"{name} has {span.Length} elements but {needed} are needed.", name);
        }
    }

    public static void RequireExact(int actual, int expected, string name)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"{name} is {actual} but must be {expected}.", name);
        }
    }

    public static void RequirePositive(int value, string name)
    {
        if (value <= 0)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive.");
        }
    }
}
