namespace DqnStudy.Nn.Blas;

/// <summary>Whether a GEMM/GEMV operand is used as stored or transposed.
/// The values are CBLAS's own (CblasNoTrans = 111, CblasTrans = 112) so MKL takes them unchanged.</summary>
public enum Trans
{
    No = 111,
    Yes = 112,
}
