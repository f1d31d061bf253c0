namespace DqnStudy.Environments;

/// <summary>Gymnasium's <c>reset(options={"low": l, "high": h})</c>: replaces the scalar bounds of the
/// start distribution (CartPole, Acrobot: every component; MountainCar: the position only).</summary>
public sealed record ResetOptions(double? Low = null, double? High = null)
{
    internal (double Low, double High) Resolve(double defaultLow, double defaultHigh)
    {
        double low = Low ?? defaultLow;
        double high = High ?? defaultHigh;
        if (!(low <= high))
        {
            throw new ArgumentException($"reset option low ({low}) must not exceed high ({high}).", nameof(Low));
        }

        return (low, high);
    }

    internal static (double Low, double High) Resolve(ResetOptions? options, double defaultLow, double defaultHigh) =>
        options is null ? (defaultLow, defaultHigh) : options.Resolve(defaultLow, defaultHigh);
}
