namespace DqnStudy.Nn.Recurrent;

/// <summary>Argument checks specific to unrolled cells (Shapes covers span lengths).</summary>
internal static class RecurrentChecks
{
    public static void RequireWithin(int value, int max, string name, string maxName)
    {
        if (value <= 0 || value > max)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} is {value} but must be in 1..{max} ({maxName}).");
        }
    }

    /// <summary>Optional outputs: empty means "not wanted"; anything else must be big enough.</summary>
    public static void RequireOptional(ReadOnlySpan<float> span, int needed, string name)
    {
        if (!span.IsEmpty)
        {
            Shapes.Require(span, needed, name);
        }
    }

    public static void RequireForwardMatches(int steps, int batch, int forwardSteps, int forwardBatch)
    {
        if (steps != forwardSteps || batch != forwardBatch)
        {
            throw new InvalidOperationException(
                $"Backward(steps: {steps}, batch: {batch}) does not match the last Forward(steps: {forwardSteps}, batch: {forwardBatch}).");
        }
    }
}
