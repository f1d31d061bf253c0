namespace DqnStudy.Nn.Layers;

internal static class Batch
{
    public static void Require(int batch, int maxBatch)
    {
        if (batch <= 0 || batch > maxBatch)
        {
            throw new ArgumentOutOfRangeException(nameof(batch), batch, $"batch is {batch} but must be in 1..{maxBatch} (maxBatch).");
        }
    }
}
