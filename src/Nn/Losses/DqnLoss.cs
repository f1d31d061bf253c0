namespace DqnStudy.Nn.Losses;

/// <summary>
/// The DQN loss: a <see cref="TdLoss"/> on q[b, actions[b]] against constant targets[b]. Gathers the taken
/// Q-values, evaluates the loss and scatters its gradient back into dq; buffers are preallocated for maxBatch.
/// </summary>
public sealed class DqnLoss
{
    private readonly TdLoss _loss;
    private readonly float[] _qTaken;     // (maxBatch)
    private readonly float[] _delta;      // (maxBatch)
    private readonly float[] _dqTaken;    // (maxBatch)
    private int _lastBatch;

    public DqnLoss(TdLoss loss, int maxBatch, int numActions)
    {
        ArgumentNullException.ThrowIfNull(loss);
        Shapes.RequirePositive(maxBatch, nameof(maxBatch));
        Shapes.RequirePositive(numActions, nameof(numActions));
        _loss = loss;
        MaxBatch = maxBatch;
        NumActions = numActions;
        _qTaken = new float[maxBatch];
        _delta = new float[maxBatch];
        _dqTaken = new float[maxBatch];
    }

    public TdLoss Loss => _loss;

    public int MaxBatch { get; }

    public int NumActions { get; }

    public LossStats LastStats { get; private set; }

    /// <summary>delta = targets − q_taken of the last Compute, (batch).</summary>
    public ReadOnlySpan<float> LastDelta => _delta.AsSpan(0, _lastBatch);

    public ReadOnlySpan<float> LastQTaken => _qTaken.AsSpan(0, _lastBatch);

    /// <summary>
    /// Returns the loss; overwrites dq with d loss / d q: the loss gradient at each taken action, 0 elsewhere.
    /// q:(B, A)  actions:(B) in 0..A−1  targets:(B)  dq:(B, A).
    /// </summary>
    public float Compute(ReadOnlySpan<float> q, ReadOnlySpan<int> actions, ReadOnlySpan<float> targets,
                         Span<float> dq, int batch)
    {
        if (batch <= 0 || batch > MaxBatch)
        {
            throw new ArgumentOutOfRangeException(nameof(batch), batch, $"batch is {batch} but must be in 1..{MaxBatch} (maxBatch).");
        }
        int a = NumActions;
        Shapes.Require(q, batch * a, nameof(q));
        Shapes.Require(actions, batch, nameof(actions));
        Shapes.Require(targets, batch, nameof(targets));
        Shapes.Require(dq, batch * a, nameof(dq));
        for (int b = 0; b < batch; b++)
        {
            int action = actions[b];
            if ((uint)action >= (uint)a)
            {
                throw new ArgumentOutOfRangeException(nameof(actions), action, $"actions[{b}] is {action} but must be in 0..{a - 1}.");
            }
            _qTaken[b] = q[b * a + action];
            _delta[b] = targets[b] - _qTaken[b];
        }
        _lastBatch = batch;
        float value = _loss.Compute(_qTaken.AsSpan(0, batch), targets[..batch], _dqTaken.AsSpan(0, batch), out LossStats stats);
        LastStats = stats;
        dq[..(batch * a)].Clear();
        for (int b = 0; b < batch; b++)
        {
            dq[b * a + actions[b]] = _dqTaken[b];
        }
        return value;
    }
}
