namespace DqnStudy.Nn.Losses;

/// <summary>What one loss evaluation did to its samples: how many gradients it zeroed (the clipped-delta bug)
/// or clipped (Huber), and the size of the TD errors.</summary>
public struct LossStats
{
    public int Count;
    public int ZeroedCount;
    public int ClippedCount;
    public double AbsDeltaMean;
    public double AbsDeltaMax;
    public double DeltaMean;

    public readonly double ZeroedShare => Count == 0 ? 0 : (double)ZeroedCount / Count;

    public readonly double ClippedShare => Count == 0 ? 0 : (double)ClippedCount / Count;
}
