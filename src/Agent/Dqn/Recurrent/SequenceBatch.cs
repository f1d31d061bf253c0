namespace DqnStudy.Agent.Dqn.Recurrent;

/// <summary>
/// A minibatch of replayed sequences, time-major as the recurrent cells take it: row (t, b) at t·batch + b.
/// Steps past a sequence's end (an episode shorter than the sequence length) are padding: zero inputs,
/// action 0, mask 0 — the loss skips them, and a recurrent net never lets later inputs reach earlier outputs.
/// </summary>
public sealed class SequenceBatch
{
    public SequenceBatch(int capacity, int steps, int observationSize)
    {
        Capacity = capacity;
        Steps = steps;
        ObservationSize = observationSize;
        Observations = new float[steps * capacity * observationSize];
        TargetInputs = new float[(steps + 1) * capacity * observationSize];
        Actions = new int[steps * capacity];
        Rewards = new float[steps * capacity];
        Terminated = new float[steps * capacity];
        Mask = new float[steps * capacity];
        Lengths = new int[capacity];
        StartSlots = new int[capacity];
    }

    public int Capacity { get; }
    public int Steps { get; }
    public int ObservationSize { get; }
    public int Count { get; internal set; }

    /// <summary>o_0..o_{T−1}: (T, B, I).</summary>
    public float[] Observations { get; }

    /// <summary>o_0..o_{T−1}, o'_{n−1} at step n (the true next observation of the last valid step), zeros after: (T+1, B, I).
    /// The target net unrolls over this so that its Q(o_{t+1}) has seen the same history as the online Q(o_t), plus one.</summary>
    public float[] TargetInputs { get; }

    public int[] Actions { get; }          // (T, B)
    public float[] Rewards { get; }        // (T, B)
    public float[] Terminated { get; }     // (T, B)
    public float[] Mask { get; }           // (T, B): 1 valid, 0 padding
    public int[] Lengths { get; }          // (B): valid steps of each sequence, 1..T
    public int[] StartSlots { get; }       // (B): buffer slot of each sequence's first step
}
