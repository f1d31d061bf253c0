using System.Globalization;
using DqnStudy.Agent.Config;
using DqnStudy.Nn.Diagnostics;
using DqnStudy.Nn.Layers;

namespace DqnStudy.Agent.Instruments;

/// <summary>
/// The backprop instruments of one seed's training (docs/instruments.md). The trainer calls it in three
/// places: around the optimiser step (only the first update of each log interval is measured: gradient
/// norms and update ratio), and when it writes a progress row (the activation probe runs over the fixed
/// probe set, warnings are checked, the next interval is armed). Cost: one snapshot of the parameters and
/// one probe forward per log interval; nothing here allocates per training step.
/// </summary>
public sealed class TrainingInstruments
{
    private static ReadOnlySpan<byte> Magic => "INST"u8;

    private readonly Mlp _network;
    private readonly int _seed;
    private readonly Action<string> _log;
    private readonly ProbeSet _probe;
    private readonly ActivationProbe _activations;
    private readonly DenseProbe _dense;
    private readonly InstrumentWarnings _warnings;
    private readonly int[] _sigmoidsBelow;   // [l]: sigmoid layers between weighted layers l−1 and l (l ≥ 1)

    // Run state (checkpointed): the measured update of the current interval.
    private readonly double[] _measured;     // (WeightedLayers, 3): weight grad norm, bias grad norm, update ratio
    private bool _armed = true;
    private bool _hasMeasurement;
    private bool _measuring;

    public TrainingInstruments(InstrumentsConfig config, Mlp network, int seed, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(network);
        _network = network;
        _seed = seed;
        _log = log ?? (_ => { });
        _probe = new ProbeSet(config.ProbeSize, network.InputSize);
        _activations = new ActivationProbe(network, config.SaturationThreshold);
        _dense = new DenseProbe(network);
        _warnings = new InstrumentWarnings(seed, config.DeadReluWarning, _log);
        _measured = new double[network.WeightedLayers.Count * 3];
        _sigmoidsBelow = SigmoidsBetweenWeightedLayers(network);
        Columns = ColumnsFor(network);
    }

    /// <summary>The extra progress.csv columns, in the order <see cref="WriteRow"/> fills them.</summary>
    public IReadOnlyList<string> Columns { get; }

    public ProbeSet Probe => _probe;

    public IReadOnlyCollection<string> FiredWarnings => _warnings.Fired;

    /// <summary>Per layer in network order: Conv2d and Dense → grad_norm_w_, grad_norm_b_, update_ratio_; ReLU and leaky ReLU →
    /// dead_share_, inactive_share_ (and after a convolution dead_share_&lt;act&gt;_map&lt;m&gt; per feature map); sigmoid and tanh → local_grad_, saturated_share_; identity → nothing.</summary>
    public static IReadOnlyList<string> ColumnsFor(Mlp network)
    {
        ArgumentNullException.ThrowIfNull(network);
        var columns = new List<string>();
        foreach (ILayer layer in network.Layers)
        {
            if (layer is IWeightedLayer)
            {
                columns.AddRange(["grad_norm_w_" + layer.Name, "grad_norm_b_" + layer.Name, "update_ratio_" + layer.Name]);
            }
            else if (layer is ActivationLayer act && act.Function is Activation.Relu or Activation.LeakyRelu)
            {
                columns.AddRange(["dead_share_" + act.Name, "inactive_share_" + act.Name]);
                for (int m = 0; m < FeatureMapsBefore(network, act); m++) columns.Add($"dead_share_{act.Name}_map{m}");
            }
            else if (layer is ActivationLayer squash && squash.Function is Activation.Sigmoid or Activation.Tanh)
            {
                columns.AddRange(["local_grad_" + squash.Name, "saturated_share_" + squash.Name]);
            }
        }
        return columns;
    }

    /// <summary>After Backward, before clipping and the optimiser. Draws the probe set on the first call
    /// (learning has just started); measures only the first update after each progress row.</summary>
    public void BeforeOptimizerStep(IObservationStore buffer)
    {
        if (!_probe.IsDrawn)
        {
            _probe.Draw(buffer, _seed);
            if (_probe.Count < _probe.Capacity)
                _log(string.Create(CultureInfo.InvariantCulture,
                    $"seed {_seed}: the instruments' probe set has {_probe.Count} states (the replay buffer held no more when learning started; probe_size is {_probe.Capacity})"));
        }
        if (!_armed) return;
        _armed = false;
        _measuring = true;
        _dense.BeforeStep();
    }

    public void AfterOptimizerStep()
    {
        if (!_measuring) return;
        _measuring = false;
        _dense.AfterStep();
        for (int l = 0; l < _dense.Layers.Count; l++)
        {
            DenseStats d = _dense.Layers[l];
            _measured[3 * l] = d.WeightGradNorm;
            _measured[3 * l + 1] = d.BiasGradNorm;
            _measured[3 * l + 2] = d.UpdateRatio;
        }
        _hasMeasurement = true;
    }

    /// <summary>Fills columns (Columns.Count) for the progress row at `step`: runs the activation probe (this
    /// overwrites the network's forward caches: call it between updates), warns, and arms the next interval.
    /// Values not measured yet (before learning starts, or no update this interval) are NaN.</summary>
    public void WriteRow(Span<double> columns, long step)
    {
        if (columns.Length != Columns.Count)
            throw new ArgumentException($"{nameof(columns)} has {columns.Length} entries but the instruments write {Columns.Count}.", nameof(columns));
        if (_probe.IsDrawn) _activations.Run(_probe.States, _probe.Count);

        int c = 0, dense = 0, act = 0;
        foreach (ILayer layer in _network.Layers)
        {
            if (layer is IWeightedLayer)
            {
                for (int k = 0; k < 3; k++) columns[c++] = _hasMeasurement ? _measured[3 * dense + k] : double.NaN;
                dense++;
            }
            else if (layer is ActivationLayer { Function: not Activation.Identity })
            {
                ActivationStats a = _activations.Layers[act++];
                columns[c++] = !_probe.IsDrawn ? double.NaN : a.IsReluFamily ? a.DeadShare : a.MeanLocalGradient;
                columns[c++] = !_probe.IsDrawn ? double.NaN : a.IsReluFamily ? a.InactiveShare : a.SaturatedShare;
                if (a.IsReluFamily)
                    foreach (double share in a.DeadShareByMap) columns[c++] = _probe.IsDrawn ? share : double.NaN;
            }
        }

        if (_probe.IsDrawn)
        {
            foreach (ActivationStats a in _activations.Layers) _warnings.CheckActivation(a, step);
        }
        if (_hasMeasurement)
        {
            var layers = _network.WeightedLayers;
            for (int l = 0; l < layers.Count; l++)
            {
                _warnings.CheckUpdateRatio(layers[l].Name, _measured[3 * l + 2], step);
                if (l > 0) _warnings.CheckGradientFall(layers[l - 1].Name, _measured[3 * (l - 1)], layers[l].Name, _measured[3 * l], _sigmoidsBelow[l], step);
            }
        }
        _armed = true;
        _hasMeasurement = false;
    }

    public void Save(BinaryWriter writer)
    {
        writer.Write(Magic);
        writer.Write(_armed);
        writer.Write(_hasMeasurement);
        writer.Write(_measured.Length);
        foreach (double v in _measured) writer.Write(v);
        _probe.Save(writer);
        _warnings.Save(writer);
    }

    public void Load(BinaryReader reader)
    {
        Span<byte> magic = stackalloc byte[4];
        if (reader.Read(magic) != 4 || !magic.SequenceEqual(Magic))
            throw new InvalidDataException("Checkpoint lacks the instruments' section (was it written with instruments off?).");
        _armed = reader.ReadBoolean();
        _hasMeasurement = reader.ReadBoolean();
        int length = reader.ReadInt32();
        if (length != _measured.Length)
            throw new InvalidDataException($"Checkpoint's instruments measured {length / 3} weighted layers but the network has {_measured.Length / 3}.");
        for (int i = 0; i < length; i++) _measured[i] = reader.ReadDouble();
        _measuring = false;
        _probe.Load(reader);
        _warnings.Load(reader);
    }

    private static int FeatureMapsBefore(Mlp network, ILayer activation)
    {
        int i = network.Layers.ToList().IndexOf(activation);
        return i > 0 && network.Layers[i - 1] is Conv2dLayer conv ? conv.Shape.OutChannels : 0;
    }

    private static int[] SigmoidsBetweenWeightedLayers(Mlp network)
    {
        var counts = new int[network.WeightedLayers.Count];
        int dense = -1, sigmoids = 0;
        foreach (ILayer layer in network.Layers)
        {
            if (layer is IWeightedLayer)
            {
                if (++dense > 0) counts[dense] = sigmoids;
                sigmoids = 0;
            }
            else if (layer is ActivationLayer { Function: Activation.Sigmoid }) sigmoids++;
        }
        return counts;
    }
}
