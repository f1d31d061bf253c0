namespace DqnStudy.Agent.Dqn;

/// <summary>A NaN or infinity appeared in training. Stops this seed with a diagnosis; other seeds go on.</summary>
public sealed class NumericalFaultException(long step, long update, string quantity, string where, double lastFiniteGradNorm)
    : Exception($"non-finite {quantity} in {where} at env step {step} (update {update}); last finite gradient norm {lastFiniteGradNorm:G6}")
{
    public long Step { get; } = step;
    public long Update { get; } = update;
    public string Quantity { get; } = quantity;
    public string Where { get; } = where;
    public double LastFiniteGradNorm { get; } = lastFiniteGradNorm;
}
