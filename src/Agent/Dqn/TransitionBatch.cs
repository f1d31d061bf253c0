namespace DqnStudy.Agent.Dqn;

/// <summary>A sampled minibatch, preallocated once for the largest batch and refilled in place.
/// obs, nextObs: (batch, obsSize) row-major.</summary>
public sealed class TransitionBatch
{
    public TransitionBatch(int capacity, int observationSize)
    {
        Capacity = capacity;
        ObservationSize = observationSize;
        Observations = new float[capacity * observationSize];
        NextObservations = new float[capacity * observationSize];
        Actions = new int[capacity];
        Rewards = new float[capacity];
        Terminated = new float[capacity];
        Indices = new int[capacity];
    }

    public int Capacity { get; }
    public int ObservationSize { get; }
    public int Count { get; internal set; }

    public float[] Observations { get; }
    public float[] NextObservations { get; }
    public int[] Actions { get; }
    public float[] Rewards { get; }
    /// <summary>1 where the transition ended the episode by termination (no bootstrap), else 0.
    /// A truncated transition is 0 here: its next state still has a value.</summary>
    public float[] Terminated { get; }
    /// <summary>Buffer slots the rows came from (diagnostics and tests).</summary>
    public int[] Indices { get; }
}
