using System.Diagnostics.CodeAnalysis;

namespace DqnStudy.Nn;

/// <summary>The one home of argument size and shape checks (kernels, layers, cells, BLAS providers and the double
/// reference forward): a wrong size names the argument and both sizes.</summary>
public static class Shapes
{
    public static void Require(ReadOnlySpan<float> span, long needed, string name)
    {
        if (span.Length < needed) ThrowTooShort(span.Length, needed, name);
    }

    public static void Require(ReadOnlySpan<int> span, long needed, string name)
    {
        if (span.Length < needed) ThrowTooShort(span.Length, needed, name);
    }

    public static void Require(ReadOnlySpan<double> span, long needed, string name)
    {
        if (span.Length < needed) ThrowTooShort(span.Length, needed, name);
    }

    /// <summary>Optional outputs: empty means "not wanted"; anything else must be big enough.</summary>
    public static void RequireOptional(ReadOnlySpan<float> span, long needed, string name)
    {
        if (!span.IsEmpty) Require(span, needed, name);
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

    public static void RequireNonNegative(int value, string name)
    {
        if (value < 0)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must not be negative.");
        }
    }

    /// <summary>A count within what the buffers were sized for: batch against maxBatch, steps against maxSteps.</summary>
    public static void RequireWithin(int value, int max, string name, string maxName)
    {
        if (value <= 0 || value > max)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} is {value} but must be in 1..{max} ({maxName}).");
        }
    }

    /// <summary>A backward pass must see the shape its forward cached.</summary>
    public static void RequireForwardMatches(int steps, int batch, int forwardSteps, int forwardBatch)
    {
        if (steps != forwardSteps || batch != forwardBatch)
        {
            throw new InvalidOperationException(
                $"Backward(steps: {steps}, batch: {batch}) does not match the last Forward(steps: {forwardSteps}, batch: {forwardBatch}).");
        }
    }

    [DoesNotReturn]
    private static void ThrowTooShort(int length, long needed, string name) =>
        throw new ArgumentException($"{name} has {length} elements but {needed} are needed.", name);
}
