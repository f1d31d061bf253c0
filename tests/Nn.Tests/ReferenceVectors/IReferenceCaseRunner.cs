using System.Text.Json;
using DqnStudy.Nn.Blas;

namespace DqnStudy.Nn.Tests.ReferenceVectors;

/// <summary>Checks one kind of case from tests/reference/grad (FORMAT.md there).
/// ReferenceVectorTests finds every implementation by reflection and dispatches on Kind;
/// a file whose kind has no runner fails the suite.</summary>
public interface IReferenceCaseRunner
{
    /// <summary>The file's "kind": dense, activation, mlp, loss, dqn_loss, rnn, lstm, optimizer, clip_grad_norm.</summary>
    string Kind { get; }

    /// <summary>Compares forward values and every gradient of one case; throws (xunit Assert) on a mismatch.
    /// Returns the largest absolute difference seen, for the report.</summary>
    double Run(JsonElement referenceCase, IBlas blas);
}
