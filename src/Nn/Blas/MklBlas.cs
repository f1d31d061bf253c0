using System.Text;
using System.Text.RegularExpressions;

namespace DqnStudy.Nn.Blas;

/// <summary>
/// Intel MKL through P/Invoke (row-major CBLAS), and nothing else: every call is MKL's own, so comparing this
/// provider with <see cref="ManagedBlas"/> compares two implementations (the parity tests rely on it); choosing the
/// faster provider for a workload is <see cref="BlasSelector"/>'s job. MKL's settings are process-wide: the first
/// <see cref="Create"/> in a process fixes the threading layer and the CBWR mode (MKL refuses to change them once it has computed
/// anything); later calls only change the thread count. <see cref="Describe"/> reports what is actually in force.
/// <para>Reproducible mode is CBWR AUTO + STRICT, not COMPATIBLE: COMPATIBLE pins MKL to its generic SSE2 code path
/// (several times slower at DQN shapes) and buys bit-equality across different CPUs, which no test here needs.
/// AUTO keeps the fastest branch for this CPU, and STRICT makes the results independent of the thread count and of
/// the arrays' alignment (the GC places float[] at any 8/16-byte boundary). If MKL rejects STRICT (before 2019.3),
/// COMPATIBLE is used instead and Describe() says so.</para>
/// </summary>
public sealed class MklBlas : IBlas
{
    private static readonly Lock SetupLock = new();
    private static bool setupDone;
    private static string threadingLayer = "";

    private MklBlas(int threads, string version, string path, string cbwr, string threadingLayer)
    {
        Threads = threads;
        Version = version;
        LibraryPath = path;
        CbwrMode = cbwr;
        ThreadingLayer = threadingLayer;
    }

    public string Name => "mkl";

    /// <summary>MKL's version number, e.g. "2020.0.4".</summary>
    public string Version { get; }

    /// <summary>The file the library was loaded from.</summary>
    public string LibraryPath { get; }

    /// <summary>MKL's maximum thread count after setup.</summary>
    public int Threads { get; }

    /// <summary>The CBWR setting in force, e.g. "AUTO+STRICT" or "OFF".</summary>
    public string CbwrMode { get; }

    /// <summary>"sequential", "GNU OpenMP" or "Intel OpenMP": fixed by the first Create in the process.</summary>
    public string ThreadingLayer { get; }

    /// <summary>Loads libmkl_rt and resolves every symbol used; never throws.</summary>
    public static bool IsAvailable(out string reason)
    {
        MklLoader.Result result = MklLoader.Get();
        reason = result.Ok ? $"MKL loaded from {result.Path}" : result.Failure;
        return result.Ok;
    }

    /// <summary>Sets up MKL (see the class remarks) and returns a provider.
    /// Throws <see cref="BlasUnavailableException"/> with the reason when MKL cannot be loaded.</summary>
    public static MklBlas Create(int threads = 1, bool reproducible = true)
    {
        if (threads < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(threads), threads, "threads must be at least 1.");
        }
        if (!IsAvailable(out string reason))
        {
            throw new BlasUnavailableException(reason);
        }
        lock (SetupLock)
        {
            if (!setupDone)
            {
                // Both must precede any computation. One thread: skip OpenMP entirely (no libiomp5 needed,
                // less per-call overhead); more: GNU OpenMP, which Debian ships, instead of Intel's libiomp5.
                int layer = MklNative.SetThreadingLayer(threads == 1 ? MklNative.ThreadingSequential
                                                        : OperatingSystem.IsLinux() ? MklNative.ThreadingGnu : MklNative.ThreadingIntel);
                threadingLayer = layer switch
                {
                    MklNative.ThreadingSequential => "sequential",
                    MklNative.ThreadingGnu => "GNU OpenMP",
                    MklNative.ThreadingIntel => "Intel OpenMP",
                    _ => $"threading layer {layer}",
                };
                if (reproducible && MklNative.CbwrSet(MklNative.CbwrAuto | MklNative.CbwrStrict) != MklNative.CbwrSuccess)
                {
                    MklNative.CbwrSet(MklNative.CbwrCompatible);
                }
                setupDone = true;
            }
            MklNative.SetNumThreads(threads);
            return new MklBlas(MklNative.GetMaxThreads(), ReadVersion(), MklLoader.Get().Path, ReadCbwr(), threadingLayer);
        }
    }

    public string Describe() =>
        $"mkl {Version} ({LibraryPath}), threads {Threads} ({ThreadingLayer}), CBWR {CbwrMode}";

    public unsafe void Gemm(Trans transA, Trans transB, int m, int n, int k, float alpha,
                            ReadOnlySpan<float> a, ReadOnlySpan<float> b, float beta, Span<float> c)
    {
        BlasArgs.Gemm(transA, transB, m, n, k, a, b, c);
        if (m == 0 || n == 0)
        {
            return;
        }
        if (k == 0)
        {
            // MKL rejects lda = 0 (it prints a parameter error and returns); BLAS semantics are c = beta·c.
            ManagedBlas.Scale(beta, c[..(m * n)]);
            return;
        }
        // Packed row-major: the leading dimension is the stored row length.
        int lda = transA == Trans.No ? k : m; // a: (m,k) or stored (k,m)
        int ldb = transB == Trans.No ? n : k; // b: (k,n) or stored (n,k)
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        {
            MklNative.Sgemm(MklNative.RowMajor, (int)transA, (int)transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, n);
        }
    }

    public void GemmBias(Trans transA, Trans transB, int m, int n, int k,
                         ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> bias, Span<float> c)
    {
        BlasArgs.GemmBias(transA, transB, m, n, k, a, b, bias, c);
        if (m == 0 || n == 0)
        {
            return;
        }
        // MKL has no bias epilogue: fill the rows, then accumulate onto them.
        ManagedBlas.FillRows(bias[..n], c[..(m * n)]);
        Gemm(transA, transB, m, n, k, 1f, a, b, 1f, c);
    }

    public unsafe void Gemv(Trans trans, int m, int n, float alpha,
                            ReadOnlySpan<float> a, ReadOnlySpan<float> x, float beta, Span<float> y)
    {
        BlasArgs.Gemv(trans, m, n, a, x, y);
        int rows = trans == Trans.No ? m : n;
        if (rows == 0)
        {
            return;
        }
        if (m == 0 || n == 0)
        {
            ManagedBlas.Scale(beta, y[..rows]); // empty sum; MKL would reject lda = 0
            return;
        }
        fixed (float* pa = a)
        fixed (float* px = x)
        fixed (float* py = y)
        {
            MklNative.Sgemv(MklNative.RowMajor, (int)trans, m, n, alpha, pa, n, px, 1, beta, py, 1);
        }
    }

    public unsafe void Axpy(float alpha, ReadOnlySpan<float> x, Span<float> y)
    {
        BlasArgs.Pair(x, y);
        if (x.Length == 0)
        {
            return;
        }
        fixed (float* px = x)
        fixed (float* py = y)
        {
            MklNative.Saxpy(x.Length, alpha, px, 1, py, 1);
        }
    }

    public unsafe float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        BlasArgs.Pair(x, y);
        if (x.Length == 0)
        {
            return 0f;
        }
        fixed (float* px = x)
        fixed (float* py = y)
        {
            return MklNative.Sdot(x.Length, px, 1, py, 1);
        }
    }

    private static unsafe string ReadVersion()
    {
        byte* buffer = stackalloc byte[256];
        MklNative.GetVersionString(buffer, 256);
        string text = Encoding.ASCII.GetString(new ReadOnlySpan<byte>(buffer, 256)).TrimEnd('\0', ' ');
        int end = text.IndexOf('\0');
        text = end >= 0 ? text[..end] : text;
        Match match = Regex.Match(text, @"Version (\d+(\.\d+)*)");
        return match.Success ? match.Groups[1].Value : text.Trim();
    }

    private static string ReadCbwr()
    {
        int value = MklNative.CbwrGet(MklNative.CbwrAll);
        string strict = (value & MklNative.CbwrStrict) != 0 ? "+STRICT" : "";
        string branch = (value & ~MklNative.CbwrStrict) switch
        {
            MklNative.CbwrOff => "OFF",
            1 => "BRANCH_OFF",
            MklNative.CbwrAuto => "AUTO",
            MklNative.CbwrCompatible => "COMPATIBLE",
            MklNative.CbwrAvx2 => "AVX2",
            int other => $"branch {other}",
        };
        return branch + strict;
    }
}
