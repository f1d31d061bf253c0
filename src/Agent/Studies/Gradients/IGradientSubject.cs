namespace DqnStudy.Agent.Studies.Gradients;

/// <summary>
/// A network plus a loss on a fixed batch, seen as tensors the gradient checker can perturb. The analytic side is
/// the real float32 backprop; the numeric side is an independent float64 forward over the same float parameters.
/// </summary>
public interface IGradientSubject
{
    /// <summary>One line for the report: architecture, loss, batch.</summary>
    string Description { get; }

    /// <summary>Parameter tensors in order, named as in checkpoints and progress.csv ("fc1.weight", "rnn.weight_hh").</summary>
    IReadOnlyList<string> TensorNames { get; }

    /// <summary>The live parameters of tensor i; the checker perturbs them in place and restores them.</summary>
    Span<float> Values(int tensor);

    /// <summary>The gradient of tensor i from the last <see cref="Backpropagate"/>.</summary>
    ReadOnlySpan<float> Gradient(int tensor);

    /// <summary>Zeroes the gradients, then runs the float32 forward, loss and backward: the code under test.</summary>
    void Backpropagate();

    /// <summary>The loss at the current parameters, computed in float64. When <paramref name="kinkSides"/> is given,
    /// appends which side of every kink (ReLU at 0, the loss's ±delta) each value fell on, so the checker can tell
    /// when a perturbation crossed one.</summary>
    double Loss(List<bool>? kinkSides);
}
