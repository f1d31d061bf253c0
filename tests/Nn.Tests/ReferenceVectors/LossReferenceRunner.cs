using System.Text.Json;
using DqnStudy.Nn.Blas;
using DqnStudy.Nn.Losses;
using static DqnStudy.Nn.Tests.ReferenceVectors.RefJson;

namespace DqnStudy.Nn.Tests.ReferenceVectors;

/// <summary>loss: value, elementwise losses and dpred through TdLoss. smooth_l1(beta) is run as
/// huber(beta)/beta (FORMAT.md: huber(k) = k·smooth_l1(beta = k)); every huber case also runs through
/// DeepMindClamp, whose gradient and value must be Huber's.</summary>
public sealed class LossReferenceRunner : IReferenceCaseRunner
{
    public string Kind => "loss";

    public double Run(JsonElement c, IBlas blas)
    {
        string name = Name(c);
        float[] pred = Floats(c, "pred");
        float[] target = Floats(c, "target");
        double worst = 0;
        foreach ((TdLoss loss, float factor) in Losses(c))
        {
            string label = $"{name} ({loss.Kind})";
            float[] dpred = new float[pred.Length];
            float value = loss.Compute(pred, target, dpred, out LossStats stats) * factor;
            for (int i = 0; i < dpred.Length; i++)
            {
                dpred[i] *= factor;
            }
            float[] elementwise = new float[pred.Length];
            for (int i = 0; i < pred.Length; i++)
            {
                elementwise[i] = loss.ElementLoss(target[i] - pred[i]) * factor;
            }
            worst = Math.Max(worst, Compare(label, "elementwise_loss", Doubles(c, "elementwise_loss"), elementwise));
            worst = Math.Max(worst, Compare(label, "loss", Double(c, "loss"), value, pred.Length));
            worst = Math.Max(worst, Compare(label, "dpred", Doubles(c, "dpred"), dpred));
            CheckStats(label, loss, Doubles(c, "delta"), stats);
        }
        return worst;
    }

    /// <summary>The TdLoss (or losses) that reproduce a case, with the factor that turns Huber into smooth_l1.</summary>
    public static IEnumerable<(TdLoss Loss, float Factor)> Losses(JsonElement c)
    {
        LossReduction reduction = String(c, "reduction") switch
        {
            "mean" => LossReduction.Mean,
            "sum" => LossReduction.Sum,
            string r => throw new InvalidDataException($"Unknown reduction \"{r}\"."),
        };
        JsonElement p = Get(c, "loss_params");
        switch (String(c, "loss_fn"))
        {
            case "mse":
                yield return (new TdLoss(LossKind.Mse, 1f, reduction), 1f);
                break;
            case "huber":
                float k = (float)Double(p, "delta");
                yield return (new TdLoss(LossKind.Huber, k, reduction), 1f);
                yield return (new TdLoss(LossKind.DeepMindClamp, k, reduction), 1f);
                break;
            case "smooth_l1":
                float beta = (float)Double(p, "beta");
                yield return (new TdLoss(LossKind.Huber, beta, reduction), 1f / beta);
                break;
            case "clipped_delta_l2":
                yield return (new TdLoss(LossKind.ClippedDelta, (float)Double(p, "clip"), reduction), 1f);
                break;
            default:
                throw new InvalidDataException($"Unknown loss_fn \"{String(c, "loss_fn")}\".");
        }
    }

    /// <summary>Zeroed (the bug) and clipped (Huber) counts must match the reference deltas.</summary>
    public static void CheckStats(string label, TdLoss loss, double[] delta, LossStats stats)
    {
        int beyond = delta.Count(d => Math.Abs(d) > loss.Delta);
        Assert.Equal(delta.Length, stats.Count);
        Assert.True(stats.ZeroedCount == (loss.Kind == LossKind.ClippedDelta ? beyond : 0), $"{label}: ZeroedCount {stats.ZeroedCount}, {beyond} beyond the bound");
        Assert.True(stats.ClippedCount == (loss.Kind is LossKind.Huber or LossKind.DeepMindClamp ? beyond : 0), $"{label}: ClippedCount {stats.ClippedCount}, {beyond} beyond the bound");
        Assert.Equal(delta.Max(Math.Abs), stats.AbsDeltaMax, 1e-5 * Math.Max(1, delta.Max(Math.Abs)));
        Assert.Equal(delta.Average(Math.Abs), stats.AbsDeltaMean, 1e-5 * Math.Max(1, delta.Max(Math.Abs)));
        Assert.Equal(delta.Average(), stats.DeltaMean, 1e-5 * Math.Max(1, delta.Max(Math.Abs)));
    }
}
