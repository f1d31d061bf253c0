namespace DqnStudy.Nn.Losses;

/// <summary>
/// An elementwise loss on delta = target − pred with mean (or sum) reduction, returning the value, the
/// gradient with respect to pred and statistics. Non-differentiable points follow torch: Huber's gradient at
/// |d| = delta is −d; ClippedDelta is differentiated through torch.clamp, so at |d| = c the gradient is the full
/// −2·clamp(d) and beyond it exactly 0.
/// </summary>
public sealed class TdLoss
{
    /// <param name="delta">Huber's (and DeepMindClamp's) delta, or the clip bound c of ClippedDelta; unused by Mse.</param>
    public TdLoss(LossKind kind, float delta = 1f, LossReduction reduction = LossReduction.Mean)
    {
        if (!Enum.IsDefined(kind))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown loss kind.");
        }
        if (!Enum.IsDefined(reduction))
        {
            throw new ArgumentOutOfRangeException(nameof(reduction), reduction, "Unknown reduction.");
        }
        if (!(delta > 0f) || float.IsInfinity(delta))
        {
            throw new ArgumentOutOfRangeException(nameof(delta), delta, "delta must be positive and finite.");
        }
        Kind = kind;
        Delta = delta;
        Reduction = reduction;
    }

    public LossKind Kind { get; }

    public float Delta { get; }

    public LossReduction Reduction { get; }

    /// <summary>
    /// Overwrites dpred with d loss / d pred (including the 1/B of the mean) and returns the loss.
    /// pred:(B)  target:(B)  dpred:(B), B = pred.Length.
    /// </summary>
    public float Compute(ReadOnlySpan<float> pred, ReadOnlySpan<float> target, Span<float> dpred, out LossStats stats)
    {
        int batch = pred.Length;
        Shapes.RequirePositive(batch, nameof(pred) + ".Length");
        Shapes.Require(target, batch, nameof(target));
        Shapes.Require(dpred, batch, nameof(dpred));
        float scale = Reduction == LossReduction.Mean ? 1f / batch : 1f;
        double sum = 0, absSum = 0, absMax = 0, deltaSum = 0;
        int zeroed = 0, clipped = 0;
        for (int i = 0; i < batch; i++)
        {
            float d = target[i] - pred[i];
            float abs = MathF.Abs(d);
            sum += ElementLoss(d);
            dpred[i] = ElementGradient(d) * scale;
            absSum += abs;
            absMax = Math.Max(absMax, abs);
            deltaSum += d;
            if (abs > Delta)
            {
                if (Kind == LossKind.ClippedDelta)
                {
                    zeroed++;
                }
                else if (Kind is LossKind.Huber or LossKind.DeepMindClamp)
                {
                    clipped++;
                }
            }
        }
        stats = new LossStats
        {
            Count = batch,
            ZeroedCount = zeroed,
            ClippedCount = clipped,
            AbsDeltaMean = absSum / batch,
            AbsDeltaMax = absMax,
            DeltaMean = deltaSum / batch,
        };
        return (float)(Reduction == LossReduction.Mean ? sum / batch : sum);
    }

    /// <summary>The loss of one sample with TD error d = target − pred.</summary>
    public float ElementLoss(float delta)
    {
        float abs = MathF.Abs(delta);
        switch (Kind)
        {
            case LossKind.Mse:
                return delta * delta;
            case LossKind.ClippedDelta:
                float c = Math.Clamp(delta, -Delta, Delta);
                return c * c;
            default:   // Huber and DeepMindClamp report the same value
                return abs < Delta ? 0.5f * delta * delta : Delta * (abs - 0.5f * Delta);
        }
    }

    /// <summary>d(loss_i)/d pred_i for d = target − pred, before the 1/B of the mean.</summary>
    public float ElementGradient(float delta)
    {
        switch (Kind)
        {
            case LossKind.Mse:
                return -2f * delta;
            case LossKind.Huber:
                // torch: −d on |d| ≤ k (boundary included), −k·sign(d) outside. A NaN passes through (MathF.Sign
                // throws on it), so the caller meets it in the loss and names the fault.
                return MathF.Abs(delta) <= Delta ? -delta : float.IsNaN(delta) ? delta : -MathF.CopySign(Delta, delta);
            case LossKind.ClippedDelta:
                // The bug: clamp passes the gradient only inside [−c, c], so the biggest errors teach nothing.
                return MathF.Abs(delta) <= Delta ? -2f * delta : 0f;
            default:
                // DeepMind clipped the error term of the gradient itself: −clamp(d, −k, k), equal to Huber's.
                return -Math.Clamp(delta, -Delta, Delta);
        }
    }
}
