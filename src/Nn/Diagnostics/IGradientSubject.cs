namespace DqnStudy.Nn.Diagnostics;

/// <summary>
/// A network plus a loss on a fixed batch, seen as tensors the gradient checker can perturb. The analytic side is
/// the real float32 backprop; the numeric side is an independent float64 forward over a float64 copy of the same parameters.
/// </summary>
public interface IGradientSubject
{
    /// <summary>One line for the report: architecture, loss, batch.</summary>
    string Description { get; }

    /// <summary>Parameter tensors in order, named as in checkpoints and progress.csv ("fc1.weight", "rnn.weight_hh").</summary>
    IReadOnlyList<string> TensorNames { get; }

    /// <summary>How many elements tensor i has.</summary>
    int Length(int tensor);

    /// <summary>The gradient of tensor i from the last <see cref="Backpropagate"/>.</summary>
    ReadOnlySpan<float> Gradient(int tensor);

    /// <summary>Zeroes the gradients, then runs the float32 forward, loss and backward: the code under test. Also takes
    /// the float64 copy of the parameters that <see cref="Loss"/> perturbs.</summary>
    void Backpropagate();

    /// <summary>The loss, computed in float64 end to end, at the float64 copy of the parameters with `nudge` added to
    /// one element (exactly: no float rounding of the step). When <paramref name="kinkSides"/> is given, appends which
    /// side of every kink (ReLU at 0, the loss's ±delta) each value fell on, so the checker can tell when a
    /// perturbation crossed one.</summary>
    double Loss(List<bool>? kinkSides, Nudge nudge);
}

/// <summary>`Delta` added to element `Index` of tensor `Tensor`; <see cref="None"/> changes nothing.</summary>
public readonly record struct Nudge(int Tensor, int Index, double Delta)
{
    public static Nudge None => new(-1, -1, 0);

    /// <summary>Runs `loss` with the nudge applied to `parameters` (one float64 array per tensor), then restores the element.</summary>
    public double Apply(double[][] parameters, Func<double> loss)
    {
        if (Tensor < 0) return loss();
        double original = parameters[Tensor][Index];
        parameters[Tensor][Index] = original + Delta;
        try
        {
            return loss();
        }
        finally
        {
            parameters[Tensor][Index] = original;
        }
    }
}
