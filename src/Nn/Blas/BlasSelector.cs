namespace DqnStudy.Nn.Blas;

/// <summary>
/// Picks the BLAS provider from config ("auto" | "mkl" | "managed", case-insensitive); the environment variable
/// DQNSTUDY_BLAS overrides the config. "auto" takes the faster of MKL and managed on this machine, timed once per
/// process by <see cref="BlasTrial"/> on a DQN update's GEMMs (managed when MKL does not load), and says which and why;
/// an explicit "mkl" that cannot load throws <see cref="BlasUnavailableException"/>. The trial's choice is a measurement:
/// pin "mkl" or "managed" where a run must resume bit for bit on a machine whose two providers are close.
/// </summary>
public static class BlasSelector
{
    public const string EnvironmentVariable = "DQNSTUDY_BLAS";
    public const string AllowedModes = "'auto', 'mkl' or 'managed'";

    /// <summary>Whether MKL can be used, and why not; <see cref="MklBlas.IsAvailable"/> in production.</summary>
    internal delegate bool MklProbe(out string reason);

    /// <summary>µs per pass over the trial's GEMMs for each provider; <see cref="TimedTrial"/> in production.</summary>
    internal delegate (double Mkl, double Managed) Trial(IBlas mkl, IBlas managed);

    private static readonly Lock TrialLock = new();
    private static (double Mkl, double Managed)? trialResult;

    public static BlasSelection Create(string mode, int threads = 1, bool reproducible = true) =>
        Create(mode, threads, reproducible, Environment.GetEnvironmentVariable(EnvironmentVariable), MklBlas.IsAvailable, TimedTrial);

    internal static BlasSelection Create(string mode, int threads, bool reproducible,
                                         string? environmentOverride, MklProbe probe, Trial trial)
    {
        ArgumentNullException.ThrowIfNull(mode);
        string configured = Normalize(mode, nameof(mode), "the config");
        string effective = configured;
        string prefix = "";
        if (!string.IsNullOrWhiteSpace(environmentOverride))
        {
            effective = Normalize(environmentOverride, EnvironmentVariable, $"the environment variable {EnvironmentVariable}");
            prefix = effective == configured
                ? $"{EnvironmentVariable}={effective} (same as config); "
                : $"{EnvironmentVariable}={effective} overrides config '{configured}'; ";
        }
        switch (effective)
        {
            case "managed":
                return new BlasSelection(new ManagedBlas(), $"{prefix}managed: requested, so MKL was not tried");
            case "mkl":
            {
                if (!probe(out string reason))
                {
                    throw new BlasUnavailableException(reason);
                }
                MklBlas mkl = MklBlas.Create(threads, reproducible);
                return new BlasSelection(mkl, $"{prefix}mkl: MKL {mkl.Version} loaded from {mkl.LibraryPath}");
            }
            default:
            {
                if (!probe(out string reason))
                {
                    return new BlasSelection(new ManagedBlas(), $"{prefix}auto: MKL unavailable ({reason}); using managed");
                }
                MklBlas mkl = MklBlas.Create(threads, reproducible);
                var managed = new ManagedBlas();
                (double mklUs, double managedUs) = trial(mkl, managed);
                string measured = $"on a DQN update's GEMMs (batch 128, 4→120→84→2), best of interleaved trials";
                return managedUs < mklUs
                    ? new BlasSelection(managed, $"{prefix}auto: managed, {mklUs / managedUs:F2}× faster than MKL {mkl.Version} here " +
                                                 $"({managedUs:F0} vs {mklUs:F0} µs {measured}; {managed.Describe()})")
                    : new BlasSelection(mkl, $"{prefix}auto: MKL {mkl.Version} from {mkl.LibraryPath}, {managedUs / mklUs:F2}× faster than " +
                                             $"managed here ({mklUs:F0} vs {managedUs:F0} µs {measured})");
            }
        }
    }

    /// <summary>The real trial, run once per process: every seed of a run then uses the same provider.</summary>
    private static (double Mkl, double Managed) TimedTrial(IBlas mkl, IBlas managed)
    {
        lock (TrialLock)
        {
            trialResult ??= BlasTrial.Race(mkl, managed, BlasTrial.CleanrlUpdate);
            return trialResult.Value;
        }
    }

    private static string Normalize(string mode, string argumentName, string source)
    {
        string normalized = mode.Trim().ToLowerInvariant();
        if (normalized is "auto" or "mkl" or "managed")
        {
            return normalized;
        }
        throw new ArgumentException($"BLAS mode '{mode}' from {source} is not allowed; use {AllowedModes}.", argumentName);
    }
}
