namespace DqnStudy.Nn.Losses;

/// <summary>The elementwise TD losses of the study, on delta = target − pred. The config spells them huber,
/// clipped_delta, mse, deepmind_clamp, in this order.</summary>
public enum LossKind
{
    /// <summary>torch huber_loss(delta): ½d² inside ±delta, linear outside; the gradient is clipped, never zeroed.</summary>
    Huber,

    /// <summary>The bug: clamp(d, −c, c)², whose gradient is zero wherever |d| &gt; c.</summary>
    ClippedDelta,

    /// <summary>delta² (torch mse_loss, no ½).</summary>
    Mse,

    /// <summary>DeepMind's 2015 trick: the output gradient is −clamp(d, −delta, delta), which is exactly Huber's;
    /// the value reported is Huber's.</summary>
    DeepMindClamp,
}

/// <summary>How elementwise losses are combined: the mean (the default, as torch) or the sum.</summary>
public enum LossReduction
{
    Mean,
    Sum,
}
