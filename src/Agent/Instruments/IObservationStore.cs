namespace DqnStudy.Agent.Instruments;

/// <summary>Stored observations the probe set is drawn from (the replay buffer), seen from the instruments'
/// side so that they do not depend on the algorithm that fills it.</summary>
public interface IObservationStore
{
    int Count { get; }
    int ObservationSize { get; }

    /// <summary>The observation stored in `slot` (0 ≤ slot &lt; Count).</summary>
    ReadOnlySpan<float> Observation(int slot);
}
