namespace DqnStudy.Nn.Optim;

internal static class Hyper
{
    /// <summary>
    /// 1 − x as torch computes it: from the decimal the user wrote (0.999), in double, rounded once to float.
    /// Subtracting in float from the float nearest 0.999 gives 1 − 0.999f = 0.000999987, a 1.3e-5 relative
    /// error in Adam's second moment that the reference vectors see. The shortest round-trip string of a
    /// float is the decimal it was written as.
    /// </summary>
    public static float OneMinus(float x) => (float)(1.0 - AsWritten(x));

    /// <summary>The double of the decimal a float hyperparameter was written as (0.999f → 0.999).</summary>
    public static double AsWritten(float x) => double.Parse(x.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
                                                            System.Globalization.CultureInfo.InvariantCulture);

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
