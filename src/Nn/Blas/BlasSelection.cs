namespace DqnStudy.Nn.Blas;

/// <summary>The provider a run uses and one human sentence on why (written to the run log).</summary>
public sealed record BlasSelection(IBlas Blas, string Reason);
