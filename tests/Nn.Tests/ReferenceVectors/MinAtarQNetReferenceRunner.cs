using System.Text.Json;
using DqnStudy.Nn.Blas;
using DqnStudy.Nn.Layers;
using DqnStudy.Nn.Losses;
using static DqnStudy.Nn.Tests.ReferenceVectors.RefJson;

namespace DqnStudy.Nn.Tests.ReferenceVectors;

/// <summary>minatar_qnet: MinAtar's QNetwork (conv → relu → flatten → fc → relu → fc) as one Mlp on images, with
/// either a given upstream gradient or the DQN smooth-L1 loss through DqnLoss; pre-activations, q, every
/// parameter gradient, the pre-activation gradients and dx.</summary>
public sealed class MinAtarQNetReferenceRunner : IReferenceCaseRunner
{
    public string Kind => "minatar_qnet";

    public double Run(JsonElement c, IBlas blas)
    {
        string name = Name(c);
        int batch = Int(c, "batch"), actions = Int(c, "num_actions"), hidden = Int(c, "hidden");
        int filters = Int(c, "conv_channels");
        var image = new ImageShape(Int(c, "in_channels"), Int(c, "height"), Int(c, "width"));
        int kernel = Get(c, "W_conv")[0][0].GetArrayLength();
        LayerSpec[] specs =
        [
            LayerSpec.Conv2d(filters, kernel), LayerSpec.Act(Activation.Relu), LayerSpec.Flatten(),
            LayerSpec.Dense(hidden), LayerSpec.Act(Activation.Relu), LayerSpec.Dense(actions),
        ];
        var network = new Mlp(blas, specs, image, batch);
        Conv2dLayer conv = network.ConvLayers[0];
        Floats(c, "W_conv").CopyTo(conv.Weight);
        Floats(c, "b_conv").CopyTo(conv.Bias);
        Floats(c, "W_fc").CopyTo(network.DenseLayers[0].Weight);
        Floats(c, "b_fc").CopyTo(network.DenseLayers[0].Bias);
        Floats(c, "W_out").CopyTo(network.DenseLayers[1].Weight);
        Floats(c, "b_out").CopyTo(network.DenseLayers[1].Bias);

        int convTerms = conv.Shape.FanIn + 1, fcTerms = convTerms + conv.Shape.OutputSize + 1, qTerms = fcTerms + hidden + 1;
        ReadOnlySpan<float> q = network.Forward(Floats(c, "x"), batch);
        double worst = Compare(name, "z_conv", Doubles(c, "z_conv"), network.Layers[0].Output[..(batch * conv.OutputSize)], convTerms, OwnScale);
        worst = Math.Max(worst, Compare(name, "z_fc", Doubles(c, "z_fc"), network.Layers[3].Output[..(batch * hidden)], fcTerms, OwnScale));
        worst = Math.Max(worst, Compare(name, "q", Doubles(c, "q"), q, qTerms, OwnScale));

        float[] dq = String(c, "mode") switch
        {
            "upstream" => Floats(c, "dy"),
            "dqn_loss" => LossGradient(name, c, q.ToArray(), batch, actions, qTerms, ref worst),
            string mode => throw new InvalidDataException($"{name}: unknown mode \"{mode}\"."),
        };
        float[] dx = new float[batch * image.Size];
        dx.AsSpan().Fill(float.NaN);
        network.ZeroGrad();
        network.Backward(dq, dx, batch);
        double back = qTerms + hidden + conv.Shape.OutputSize;   // every sum on the way back, and the forward's error
        worst = Math.Max(worst, Compare(name, "dz_fc", Doubles(c, "dz_fc"), network.InputGradient(4, batch), back, OwnScale));
        worst = Math.Max(worst, Compare(name, "dz_conv", Doubles(c, "dz_conv"), network.InputGradient(1, batch), back, OwnScale));
        worst = Math.Max(worst, Compare(name, "dW_out", Doubles(c, "dW_out"), network.DenseLayers[1].WeightGrad, back + batch, OwnScale));
        worst = Math.Max(worst, Compare(name, "db_out", Doubles(c, "db_out"), network.DenseLayers[1].BiasGrad, back + batch, OwnScale));
        worst = Math.Max(worst, Compare(name, "dW_fc", Doubles(c, "dW_fc"), network.DenseLayers[0].WeightGrad, back + batch, OwnScale));
        worst = Math.Max(worst, Compare(name, "db_fc", Doubles(c, "db_fc"), network.DenseLayers[0].BiasGrad, back + batch, OwnScale));
        worst = Math.Max(worst, Compare(name, "dW_conv", Doubles(c, "dW_conv"), conv.WeightGrad, back + batch * conv.Shape.OutPlane, OwnScale));
        worst = Math.Max(worst, Compare(name, "db_conv", Doubles(c, "db_conv"), conv.BiasGrad, back + batch * conv.Shape.OutPlane, OwnScale));
        return Math.Max(worst, Compare(name, "dx", Doubles(c, "dx"), dx, back + filters * kernel * kernel, OwnScale));
    }

    private static float[] LossGradient(string name, JsonElement c, float[] q, int batch, int actions, double qTerms, ref double worst)
    {
        (TdLoss loss, float factor) = LossReferenceRunner.Losses(c).Single();
        int[] taken = [.. Get(c, "actions").EnumerateArray().Select(a => a.GetInt32())];
        var dqn = new DqnLoss(loss, batch, actions);
        float[] dq = new float[batch * actions];
        dq.AsSpan().Fill(float.NaN);
        float value = dqn.Compute(q, taken, Floats(c, "targets"), dq, batch) * factor;
        for (int i = 0; i < dq.Length; i++)
        {
            dq[i] *= factor;
        }
        worst = Math.Max(worst, Compare(name, "q_taken", Doubles(c, "q_taken"), dqn.LastQTaken, qTerms, OwnScale));
        worst = Math.Max(worst, Compare(name, "delta", Doubles(c, "delta"), dqn.LastDelta, qTerms, OwnScale));
        worst = Math.Max(worst, Compare(name, "loss", Double(c, "loss"), value, qTerms + batch, OwnScale));
        worst = Math.Max(worst, Compare(name, "dq", Doubles(c, "dq"), dq, qTerms, OwnScale));
        LossReferenceRunner.CheckStats(name, loss, Doubles(c, "delta"), dqn.LastStats);
        return dq;
    }
}
