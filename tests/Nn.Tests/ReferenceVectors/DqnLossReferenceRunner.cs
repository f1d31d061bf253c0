using System.Text.Json;
using DqnStudy.Nn.Blas;
using DqnStudy.Nn.Losses;
using static DqnStudy.Nn.Tests.ReferenceVectors.RefJson;

namespace DqnStudy.Nn.Tests.ReferenceVectors;

/// <summary>dqn_loss: q_taken, delta, loss and dq (zero off the taken action) through DqnLoss.</summary>
public sealed class DqnLossReferenceRunner : IReferenceCaseRunner
{
    public string Kind => "dqn_loss";

    public double Run(JsonElement c, IBlas blas)
    {
        string name = Name(c);
        int batch = Int(c, "batch"), actions = Int(c, "num_actions");
        float[] q = Floats(c, "q");
        int[] taken = [.. Get(c, "actions").EnumerateArray().Select(a => a.GetInt32())];
        float[] targets = Floats(c, "targets");
        double worst = 0;
        foreach ((TdLoss loss, float factor) in LossReferenceRunner.Losses(c))
        {
            string label = $"{name} ({loss.Kind})";
            var dqn = new DqnLoss(loss, batch, actions);
            float[] dq = new float[batch * actions];
            dq.AsSpan().Fill(float.NaN);   // every entry must be written
            float value = dqn.Compute(q, taken, targets, dq, batch) * factor;
            for (int i = 0; i < dq.Length; i++)
            {
                dq[i] *= factor;
            }
            worst = Math.Max(worst, Compare(label, "q_taken", Doubles(c, "q_taken"), dqn.LastQTaken));
            worst = Math.Max(worst, Compare(label, "delta", Doubles(c, "delta"), dqn.LastDelta));
            worst = Math.Max(worst, Compare(label, "loss", Double(c, "loss"), value, batch));
            worst = Math.Max(worst, Compare(label, "dq", Doubles(c, "dq"), dq));
            LossReferenceRunner.CheckStats(label, loss, Doubles(c, "delta"), dqn.LastStats);
        }
        return worst;
    }
}
