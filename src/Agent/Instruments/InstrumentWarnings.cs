using System.Globalization;
using DqnStudy.Nn.Diagnostics;
using DqnStudy.Nn.Layers;

namespace DqnStudy.Agent.Instruments;

/// <summary>
/// Turns instrument readings into log lines a user understands, each condition (kind × layer) once per
/// run: a leak is announced when it starts, not repeated every row. The fired set is run state and
/// goes into the checkpoint.
/// </summary>
public sealed class InstrumentWarnings
{
    /// <summary>Saturation warns when at least this share of (state, unit) pairs is saturated …</summary>
    public const double SaturatedShare = 0.9;

    /// <summary>… and the mean local gradient is below this fraction of its maximum (0.25 sigmoid, 1 tanh).</summary>
    public const double LocalGradientFraction = 0.01;

    /// <summary>Update-to-weight ratios outside [Low, High] warn (Karpathy: about 1e-3 is healthy).</summary>
    public const double UpdateRatioHigh = 1e-1;
    public const double UpdateRatioLow = 1e-6;

    /// <summary>The 0.25 bound of σ': a weight-gradient norm falling more than this per sigmoid layer warns.</summary>
    public const double FallPerSigmoidLayer = 4;

    private readonly int _seed;
    private readonly double _deadReluWarning;
    private readonly Action<string> _log;
    private readonly HashSet<string> _fired = new(StringComparer.Ordinal);

    public InstrumentWarnings(int seed, double deadReluWarning, Action<string> log)
    {
        _seed = seed;
        _deadReluWarning = deadReluWarning;
        _log = log;
    }

    /// <summary>The conditions that have fired, as "kind:layer" keys.</summary>
    public IReadOnlyCollection<string> Fired => _fired;

    public void CheckActivation(ActivationStats act, long step)
    {
        string where = act.After.Length > 0 ? $"layer {act.Name} (after {act.After})" : $"layer {act.Name}";
        if (act.Function == Activation.Relu && act.DeadShare >= _deadReluWarning)
        {
            Fire("dead:" + act.Name, $"{where}: {Percent(act.DeadShare)} of ReLU units dead since step {step:N0} (threshold {Percent(_deadReluWarning)}; dead = pre-activation ≤ 0 on every probe state)");
        }
        else if (act.Function == Activation.LeakyRelu && act.DeadShare >= _deadReluWarning)
        {
            // Not dead: a leaky unit below zero still passes slope × its gradient and can come back. Say so, not "dead".
            Fire("dead:" + act.Name, $"{where}: {Percent(act.DeadShare)} of leaky-ReLU units negative on every probe state since step {step:N0} (threshold {Percent(_deadReluWarning)}); they still learn through the leaky slope, where plain ReLUs would be dead");
        }
        if (act.IsSquashing && act.SaturatedShare >= SaturatedShare && act.MeanLocalGradient < LocalGradientFraction * act.MaxLocalGradient)
        {
            string kind = act.Function == Activation.Sigmoid ? "sigmoid" : "tanh";
            Fire("saturated:" + act.Name, $"{where}: {Percent(act.SaturatedShare)} of {kind} units saturated, mean local gradient {act.MeanLocalGradient:G2} (max {act.MaxLocalGradient:G2}) since step {step:N0} (thresholds: {Percent(SaturatedShare)} saturated and mean local gradient < {Percent(LocalGradientFraction)} of max)");
        }
    }

    public void CheckUpdateRatio(string layer, double ratio, long step)
    {
        if (ratio > UpdateRatioHigh)
            Fire("ratio_high:" + layer, $"layer {layer}: one update changes its weights by {ratio:G2} of their norm since step {step:N0} (threshold {UpdateRatioHigh:G}; about 1e-3 is healthy): the learning rate may be too high");
        else if (ratio < UpdateRatioLow)
            Fire("ratio_low:" + layer, $"layer {layer}: one update changes its weights by only {ratio:G2} of their norm since step {step:N0} (threshold {UpdateRatioLow:G}; about 1e-3 is healthy): the layer has almost stopped learning");
    }

    /// <summary>lower sits below upper with `sigmoids` sigmoid layers between them.</summary>
    public void CheckGradientFall(string lower, double lowerNorm, string upper, double upperNorm, int sigmoids, long step)
    {
        double allowed = Math.Pow(FallPerSigmoidLayer, sigmoids);
        if (sigmoids < 1 || !(upperNorm > 0) || !(lowerNorm * allowed < upperNorm)) return;
        Fire("gradient_fall:" + lower, $"layer {lower}: weight-gradient norm {lowerNorm:G2} is {upperNorm / lowerNorm:G3}× smaller than {upper}'s ({upperNorm:G2}) across {sigmoids} sigmoid layer(s) since step {step:N0} (threshold {FallPerSigmoidLayer:G}× per sigmoid layer, the 0.25 bound of σ'): the lower layers learn far slower");
    }

    private void Fire(string key, FormattableString message)
    {
        if (!_fired.Add(key)) return;
        _log("seed " + _seed.ToString(CultureInfo.InvariantCulture) + ", " + message.ToString(CultureInfo.InvariantCulture));
    }

    private static string Percent(double share) => (share * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    public void Save(BinaryWriter writer)
    {
        writer.Write(_fired.Count);
        foreach (string key in _fired.Order(StringComparer.Ordinal)) writer.Write(key);
    }

    public void Load(BinaryReader reader)
    {
        int count = reader.ReadInt32();
        if (count < 0 || count > 10_000) throw new InvalidDataException($"Checkpoint lists {count} fired instrument warnings.");
        _fired.Clear();
        for (int i = 0; i < count; i++) _fired.Add(reader.ReadString());
    }
}
