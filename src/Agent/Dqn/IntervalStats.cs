using DqnStudy.Nn.Losses;

namespace DqnStudy.Agent.Dqn;

/// <summary>
/// Sums over the updates of one log interval, turned into a progress.csv row and reset.
/// "Out of band" = |delta| beyond the loss's delta: the clipped-delta bug zeroes those samples'
/// gradients, Huber clips them to ±delta. Terminal samples are tracked apart because the bug
/// silences them first (their target is the bare reward while Q has grown far past it).
/// </summary>
public sealed class IntervalStats
{
    public long Updates;
    public double LossSum;
    public double QTakenSum;
    public long Samples;
    public double AbsDeltaSum;
    public double AbsDeltaMax;
    public long ZeroedSamples;
    public long ClippedSamples;
    public long TerminalSamples;
    public long TerminalOutOfBand;
    public double TerminalQSum;
    public double GradNormSum;
    public double[] LayerGradNormSums;

    public IntervalStats(int layers) => LayerGradNormSums = new double[layers];

    public void Reset()
    {
        Updates = 0;
        LossSum = QTakenSum = AbsDeltaSum = AbsDeltaMax = TerminalQSum = GradNormSum = 0;
        Samples = ZeroedSamples = ClippedSamples = TerminalSamples = TerminalOutOfBand = 0;
        Array.Clear(LayerGradNormSums);
    }

    /// <summary>Adds one update: its loss and global gradient norm, the per-group gradient norms (from their squares),
    /// and the per-sample figures of `tdLoss`'s last Compute over `samples` rows flagged by `terminated`. `band` is
    /// the loss's delta: a terminal sample beyond it is out of band.</summary>
    public void AddUpdate(DqnLoss tdLoss, float loss, double gradNorm, ReadOnlySpan<double> groupSquares,
                          ReadOnlySpan<float> terminated, int samples, float band)
    {
        var stats = tdLoss.LastStats;
        Updates++;
        LossSum += loss;
        GradNormSum += gradNorm;
        for (int l = 0; l < groupSquares.Length; l++) LayerGradNormSums[l] += Math.Sqrt(groupSquares[l]);
        Samples += samples;
        ZeroedSamples += stats.ZeroedCount;
        ClippedSamples += stats.ClippedCount;
        AbsDeltaSum += stats.AbsDeltaMean * samples;
        AbsDeltaMax = Math.Max(AbsDeltaMax, stats.AbsDeltaMax);
        ReadOnlySpan<float> delta = tdLoss.LastDelta;
        ReadOnlySpan<float> qTaken = tdLoss.LastQTaken;
        for (int i = 0; i < samples; i++)
        {
            QTakenSum += qTaken[i];
            if (terminated[i] != 0f)
            {
                TerminalSamples++;
                TerminalQSum += qTaken[i];
                if (MathF.Abs(delta[i]) > band) TerminalOutOfBand++;
            }
        }
    }

    public double Mean(double sum, long count) => count == 0 ? double.NaN : sum / count;

    /// <summary>The mean loss of the interval's updates (NaN when there were none).</summary>
    public double MeanLoss => Mean(LossSum, Updates);

    /// <summary>progress.csv's interval columns, loss to grad_norm (RunFolder.ProgressHead after the counters), at `row[0..]`;
    /// returns how many.</summary>
    public int WriteColumns(Span<double> row)
    {
        int c = 0;
        row[c++] = MeanLoss;
        row[c++] = Mean(QTakenSum, Samples);
        row[c++] = Mean(AbsDeltaSum, Samples);
        row[c++] = Updates == 0 ? double.NaN : AbsDeltaMax;
        row[c++] = Mean(ZeroedSamples, Samples);
        row[c++] = Mean(ClippedSamples, Samples);
        row[c++] = Mean(TerminalSamples, Samples);
        row[c++] = Mean(TerminalOutOfBand, TerminalSamples);
        row[c++] = Mean(TerminalQSum, TerminalSamples);
        row[c++] = Mean(GradNormSum, Updates);
        return c;
    }

    public void Save(BinaryWriter writer)
    {
        writer.Write(Updates); writer.Write(LossSum); writer.Write(QTakenSum); writer.Write(Samples);
        writer.Write(AbsDeltaSum); writer.Write(AbsDeltaMax); writer.Write(ZeroedSamples); writer.Write(ClippedSamples);
        writer.Write(TerminalSamples); writer.Write(TerminalOutOfBand); writer.Write(TerminalQSum); writer.Write(GradNormSum);
        writer.Write(LayerGradNormSums.Length);
        foreach (double v in LayerGradNormSums) writer.Write(v);
    }

    public void Load(BinaryReader reader)
    {
        Updates = reader.ReadInt64(); LossSum = reader.ReadDouble(); QTakenSum = reader.ReadDouble(); Samples = reader.ReadInt64();
        AbsDeltaSum = reader.ReadDouble(); AbsDeltaMax = reader.ReadDouble(); ZeroedSamples = reader.ReadInt64(); ClippedSamples = reader.ReadInt64();
        TerminalSamples = reader.ReadInt64(); TerminalOutOfBand = reader.ReadInt64(); TerminalQSum = reader.ReadDouble(); GradNormSum = reader.ReadDouble();
        int layers = reader.ReadInt32();
        if (layers != LayerGradNormSums.Length)
            throw new InvalidDataException($"Checkpoint logs {layers} layers but the network has {LayerGradNormSums.Length}.");
        for (int i = 0; i < layers; i++) LayerGradNormSums[i] = reader.ReadDouble();
    }
}
