using DqnStudy.Nn.Layers;

namespace DqnStudy.Nn.Diagnostics;

/// <summary>
/// What one activation layer did over a probe set. ReLU-family layers fill DeadShare and InactiveShare;
/// sigmoid and tanh fill MeanLocalGradient and SaturatedShare; the rest stay NaN (not measured).
/// </summary>
public sealed class ActivationStats
{
    internal ActivationStats(string name, string after, Activation function, int units, int featureMaps = 0)
    {
        Name = name;
        After = after;
        Function = function;
        Units = units;
        FeatureMaps = featureMaps;
        DeadShareByMap = new double[featureMaps];
        Array.Fill(DeadShareByMap, double.NaN);
    }

    /// <summary>After a convolution: its output channels (each Units / FeatureMaps positions); 0 after a Dense layer.</summary>
    public int FeatureMaps { get; }

    /// <summary>ReLU family after a convolution: [m] = share of feature map m's positions that are dead on every probe
    /// state (a map dead everywhere passes no gradient to its filter).</summary>
    public double[] DeadShareByMap { get; }

    /// <summary>"act1".</summary>
    public string Name { get; }

    /// <summary>The weighted layer feeding it ("fc1", "conv1"), or "" when the activation is the first layer.</summary>
    public string After { get; }

    public Activation Function { get; }

    public int Units { get; }

    /// <summary>Share of units whose pre-activation is ≤ 0 for every probe state (zero gradient on all of them).</summary>
    public double DeadShare { get; internal set; } = double.NaN;

    /// <summary>Share of (state, unit) pairs whose pre-activation is ≤ 0.</summary>
    public double InactiveShare { get; internal set; } = double.NaN;

    /// <summary>Mean of the local gradient z(1−z) (sigmoid, max 0.25) or 1−z² (tanh, max 1) over states and units.</summary>
    public double MeanLocalGradient { get; internal set; } = double.NaN;

    /// <summary>Share of (state, unit) pairs whose local gradient / its maximum is below the probe's threshold.</summary>
    public double SaturatedShare { get; internal set; } = double.NaN;

    /// <summary>The largest local gradient this function can have: 0.25 (sigmoid), 1 (tanh), NaN otherwise.</summary>
    public double MaxLocalGradient => MaxLocalGradientOf(Function);

    public bool IsReluFamily => Function is Activation.Relu or Activation.LeakyRelu;

    public bool IsSquashing => Function is Activation.Sigmoid or Activation.Tanh;

    public static double MaxLocalGradientOf(Activation function) => function switch
    {
        Activation.Sigmoid => 0.25,
        Activation.Tanh => 1.0,
        _ => double.NaN,
    };
}
