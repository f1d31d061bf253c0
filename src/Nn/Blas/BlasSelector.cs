namespace DqnStudy.Nn.Blas;

/// <summary>
/// Picks the BLAS provider from config ("auto" | "mkl" | "managed", case-insensitive); the environment variable
/// DQNSTUDY_BLAS overrides the config. "auto" takes MKL when it loads and falls back to managed, saying why;
/// an explicit "mkl" that cannot load throws <see cref="BlasUnavailableException"/>.
/// </summary>
public static class BlasSelector
{
    public const string EnvironmentVariable = "DQNSTUDY_BLAS";
    public const string AllowedModes = "'auto', 'mkl' or 'managed'";

    /// <summary>Whether MKL can be used, and why not; <see cref="MklBlas.IsAvailable"/> in production.</summary>
    internal delegate bool MklProbe(out string reason);

    public static BlasSelection Create(string mode, int threads = 1, bool reproducible = true) =>
        Create(mode, threads, reproducible, Environment.GetEnvironmentVariable(EnvironmentVariable), MklBlas.IsAvailable);

    internal static BlasSelection Create(string mode, int threads, bool reproducible,
                                         string? environmentOverride, MklProbe probe)
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
                return new BlasSelection(mkl, $"{prefix}auto: MKL {mkl.Version} loaded from {mkl.LibraryPath}");
            }
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
