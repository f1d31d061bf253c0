namespace DqnStudy.Nn.Blas;

/// <summary>An explicitly requested provider (MKL) cannot be used on this machine.</summary>
public sealed class BlasUnavailableException : Exception
{
    public const string InstallHint =
        "install it with `apt-get install libmkl-rt` after enabling Debian's non-free component " +
        "(or choose blas 'auto' or 'managed')";

    public BlasUnavailableException(string reason)
        : base($"MKL was requested but cannot be used: {reason}. To use MKL, {InstallHint}.")
    {
        Reason = reason;
    }

    /// <summary>Why loading failed, without the install hint.</summary>
    public string Reason { get; }
}
