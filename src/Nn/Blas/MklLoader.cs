using System.Runtime.InteropServices;

namespace DqnStudy.Nn.Blas;

/// <summary>
/// Finds libmkl_rt once per process, resolves every symbol MklNative declares up front, and only then routes the
/// "mkl_rt" imports of this assembly to that handle. A missing library or symbol is therefore reported by
/// <see cref="MklBlas.IsAvailable"/> instead of surfacing as DllNotFoundException / EntryPointNotFoundException
/// in the middle of training.
/// </summary>
internal static class MklLoader
{
    /// <summary>Names a specific libmkl_rt file to load instead of searching the usual names.</summary>
    public const string LibraryVariable = "DQNSTUDY_MKL_LIBRARY";

    private static readonly Lazy<Result> Loaded = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    public sealed record Result(bool Ok, string Path, string Failure);

    public static Result Get() => Loaded.Value;

    private static string[] Candidates()
    {
        string? explicitPath = Environment.GetEnvironmentVariable(LibraryVariable);
        if (!string.IsNullOrWhiteSpace(explicitPath))
        {
            return [explicitPath];
        }
        if (OperatingSystem.IsWindows())
        {
            return ["mkl_rt.2.dll", "mkl_rt.dll", "mkl_rt.1.dll"];
        }
        if (OperatingSystem.IsMacOS())
        {
            return ["libmkl_rt.2.dylib", "libmkl_rt.dylib", "libmkl_rt.1.dylib"];
        }
        return ["libmkl_rt.so", "libmkl_rt.so.2", "libmkl_rt.so.1"];
    }

    private static Result Load()
    {
        string[] names = Candidates();
        try
        {
            IntPtr handle = IntPtr.Zero;
            string loadedName = "";
            foreach (string name in names)
            {
                if (NativeLibrary.TryLoad(name, out handle))
                {
                    loadedName = name;
                    break;
                }
            }
            if (handle == IntPtr.Zero)
            {
                return new Result(false, "",
                    $"{names[0]} not found (tried {string.Join(", ", names)}): install Debian's libmkl-rt from non-free");
            }
            foreach (string symbol in MklNative.Symbols)
            {
                if (!NativeLibrary.TryGetExport(handle, symbol, out _))
                {
                    return new Result(false, loadedName, $"{loadedName} lacks the symbol {symbol} (MKL too old or not libmkl_rt)");
                }
            }
            NativeLibrary.SetDllImportResolver(typeof(MklLoader).Assembly,
                (name, _, _) => name == MklNative.Library ? handle : IntPtr.Zero);
            return new Result(true, LocateOnDisk(loadedName), "");
        }
        catch (Exception e) // probing must never throw: the reason goes to the caller instead
        {
            return new Result(false, "", $"loading {names[0]} failed: {e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>Best effort: the full path the dynamic loader picked (Linux), else the name we asked for.</summary>
    private static string LocateOnDisk(string loadedName)
    {
        try
        {
            if (OperatingSystem.IsLinux())
            {
                foreach (string line in File.ReadLines("/proc/self/maps"))
                {
                    int slash = line.IndexOf('/');
                    if (slash >= 0 && line.Contains("libmkl_rt", StringComparison.Ordinal))
                    {
                        return line[slash..].Trim();
                    }
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return loadedName;
    }
}
