using System.Runtime.InteropServices;

namespace DqnStudy.Nn.Blas;

/// <summary>
/// Raw entry points of Intel MKL's single dynamic library (libmkl_rt, LP64 interface: MKL_INT is int).
/// Nothing but declarations: loading, symbol checks and setup live in <see cref="MklLoader"/> and <see cref="MklBlas"/>.
/// Never call these before <see cref="MklBlas.IsAvailable"/> returned true.
/// </summary>
internal static unsafe partial class MklNative
{
    public const string Library = "mkl_rt";

    // CBLAS_LAYOUT / CBLAS_TRANSPOSE values; Trans already carries 111/112.
    public const int RowMajor = 101;

    // mkl_cbwr.h
    public const int CbwrAll = -1;
    public const int CbwrOff = 0;
    public const int CbwrAuto = 2;
    public const int CbwrCompatible = 3;
    public const int CbwrAvx2 = 10;
    public const int CbwrStrict = 0x10000;
    public const int CbwrSuccess = 0;

    // mkl_service.h: MKL_THREADING_*
    public const int ThreadingIntel = 0;
    public const int ThreadingSequential = 1;
    public const int ThreadingGnu = 3;

    /// <summary>Every symbol the provider uses; the loader resolves all of them up front.</summary>
    public static readonly string[] Symbols =
    [
        "cblas_sgemm", "cblas_sgemv", "cblas_saxpy", "cblas_sdot", "MKL_CBWR_Set", "MKL_CBWR_Get",
        "MKL_Set_Num_Threads", "MKL_Get_Max_Threads", "MKL_Set_Threading_Layer", "MKL_Get_Version_String",
    ];

    [LibraryImport(Library, EntryPoint = "cblas_sgemm")]
    public static partial void Sgemm(int layout, int transA, int transB, int m, int n, int k, float alpha,
                                     float* a, int lda, float* b, int ldb, float beta, float* c, int ldc);

    [LibraryImport(Library, EntryPoint = "cblas_sgemv")]
    public static partial void Sgemv(int layout, int trans, int m, int n, float alpha, float* a, int lda,
                                     float* x, int incX, float beta, float* y, int incY);

    [LibraryImport(Library, EntryPoint = "cblas_saxpy")]
    public static partial void Saxpy(int n, float alpha, float* x, int incX, float* y, int incY);

    [LibraryImport(Library, EntryPoint = "cblas_sdot")]
    public static partial float Sdot(int n, float* x, int incX, float* y, int incY);

    // The service functions are bound by their mixed-case C names on purpose: libmkl_rt's lower-case exports
    // (mkl_cbwr_set, mkl_set_num_threads, ...) are the Fortran interface, which takes every argument by pointer;
    // calling mkl_cbwr_set(int) segfaults (mkl_service.h maps the lower-case C spelling to these by #define).

    /// <summary>Returns MKL_CBWR_SUCCESS (0) or a negative error code; fails once MKL has computed anything.</summary>
    [LibraryImport(Library, EntryPoint = "MKL_CBWR_Set")]
    public static partial int CbwrSet(int settings);

    [LibraryImport(Library, EntryPoint = "MKL_CBWR_Get")]
    public static partial int CbwrGet(int option);

    [LibraryImport(Library, EntryPoint = "MKL_Set_Num_Threads")]
    public static partial void SetNumThreads(int threads);

    [LibraryImport(Library, EntryPoint = "MKL_Get_Max_Threads")]
    public static partial int GetMaxThreads();

    /// <summary>Must precede every other MKL call to take effect; returns the layer in force.</summary>
    [LibraryImport(Library, EntryPoint = "MKL_Set_Threading_Layer")]
    public static partial int SetThreadingLayer(int layer);

    [LibraryImport(Library, EntryPoint = "MKL_Get_Version_String")]
    public static partial void GetVersionString(byte* buffer, int length);
}
