using System.Text.Json;
using DqnStudy.Nn.Blas;
using DqnStudy.Nn.Optim;
using static DqnStudy.Nn.Tests.ReferenceVectors.RefJson;

namespace DqnStudy.Nn.Tests.ReferenceVectors;

/// <summary>clip_grad_norm: the total norm over all tensors and the clipped gradients, with all tensors laid
/// end to end in one flat span as a ParameterBlock holds them.</summary>
public sealed class ClipGradNormReferenceRunner : IReferenceCaseRunner
{
    public string Kind => "clip_grad_norm";

    public double Run(JsonElement c, IBlas blas)
    {
        string name = Name(c);
        float[] grads = Floats(c, "grads");
        double[] expected = Doubles(c, "clipped_grads");
        float maxNorm = (float)Double(c, "max_norm");
        Assert.Equal(2.0, Double(c, "norm_type"));
        float norm = GradientClipping.ClipGlobalNorm(grads, maxNorm);
        double worst = Compare(name, "total_norm", Double(c, "total_norm"), norm, grads.Length);
        float plainNorm = GradientClipping.GlobalNorm(Floats(c, "grads"));
        worst = Math.Max(worst, Compare(name, "GlobalNorm", Double(c, "total_norm"), plainNorm, grads.Length));
        return Math.Max(worst, Compare(name, "clipped_grads", expected, grads, 2));
    }
}
