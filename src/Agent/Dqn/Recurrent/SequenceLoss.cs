using DqnStudy.Nn;
using DqnStudy.Nn.Losses;

namespace DqnStudy.Agent.Dqn.Recurrent;

/// <summary>
/// The DRQN loss over a batch of sequences: the configured TD loss, averaged over every valid (unpadded) step.
/// Valid rows are gathered into a compact batch for <see cref="DqnLoss"/> and its gradient scattered back, so
/// padding contributes neither to the mean nor to the gradient. Buffers are preallocated for maxRows = T·B.
/// </summary>
public sealed class SequenceLoss
{
    private readonly DqnLoss _loss;
    private readonly int _actions;
    private readonly int[] _rows;          // (N): time-major row of each valid step
    private readonly float[] _q;           // (N, A)
    private readonly int[] _taken;         // (N)
    private readonly float[] _targets;     // (N)
    private readonly float[] _terminated;  // (N)
    private readonly float[] _dq;          // (N, A)

    public SequenceLoss(TdLoss loss, int maxRows, int actions)
    {
        _loss = new DqnLoss(loss, maxRows, actions);
        _actions = actions;
        _rows = new int[maxRows];
        _q = new float[maxRows * actions];
        _taken = new int[maxRows];
        _targets = new float[maxRows];
        _terminated = new float[maxRows];
        _dq = new float[maxRows * actions];
    }

    public DqnLoss Inner => _loss;

    /// <summary>Valid steps in the last Compute.</summary>
    public int ValidCount { get; private set; }

    /// <summary>Terminated flags of the valid steps of the last Compute, aligned with Inner.LastDelta.</summary>
    public ReadOnlySpan<float> ValidTerminated => _terminated.AsSpan(0, ValidCount);

    /// <summary>q: (T·B, A) time-major; targets: (T·B). Returns the mean loss over valid steps and overwrites
    /// dq (T·B, A) with its gradient (zero on padding and on untaken actions).</summary>
    public float Compute(ReadOnlySpan<float> q, SequenceBatch batch, ReadOnlySpan<float> targets, Span<float> dq, int steps, int batchSize)
    {
        int rows = steps * batchSize, a = _actions;
        Shapes.Require(q, rows * a, nameof(q));
        Shapes.Require(targets, rows, nameof(targets));
        Shapes.Require(dq, rows * a, nameof(dq));
        if (rows > _rows.Length)
            throw new ArgumentException($"{nameof(steps)}×{nameof(batchSize)} is {rows} rows but the loss holds {_rows.Length}.", nameof(steps));
        int n = 0;
        for (int row = 0; row < rows; row++)
        {
            if (batch.Mask[row] == 0f) continue;
            _rows[n] = row;
            q.Slice(row * a, a).CopyTo(_q.AsSpan(n * a, a));
            _taken[n] = batch.Actions[row];
            _targets[n] = targets[row];
            _terminated[n] = batch.Terminated[row];
            n++;
        }
        ValidCount = n;
        float value = _loss.Compute(_q.AsSpan(0, n * a), _taken.AsSpan(0, n), _targets.AsSpan(0, n), _dq.AsSpan(0, n * a), n);
        dq[..(rows * a)].Clear();
        for (int i = 0; i < n; i++) _dq.AsSpan(i * a, a).CopyTo(dq.Slice(_rows[i] * a, a));
        return value;
    }
}
