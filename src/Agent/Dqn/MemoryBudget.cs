using System.Globalization;
using DqnStudy.Agent.Config;

namespace DqnStudy.Agent.Dqn;

/// <summary>
/// What one seed's learner will allocate, worked out from the config before anything is allocated, so that a size
/// too large for the machine is refused up front (naming the key, what it needs and what the machine has) instead of
/// an OutOfMemoryException or an overflow half-way through setting up a seed. The estimate follows the learners'
/// constructors: both networks (weights, gradients, per-batch activations), the optimiser's state, the replay ring.
/// </summary>
public sealed record MemoryBudget(double ReplayBytes, double NetworkBytes, double BatchBytes, double LargestArray, string LargestArrayKey)
{
    private const double FloatBytes = 4;
    /// <summary>The runtime, the environments and the logs: what a seed holds besides its learner.</summary>
    public const double OverheadBytes = 200.0 * 1024 * 1024;

    public double SeedBytes => ReplayBytes + NetworkBytes + BatchBytes;

    /// <summary>The estimate for one seed of `config` on an environment with these observation and action sizes.
    /// Sizes are multiplied in double: nothing here can overflow, whatever the config says.</summary>
    public static MemoryBudget Estimate(DqnConfig config, int observationSize, int actions)
    {
        var dqn = config.Algorithm;
        bool recurrent = config.Network.Type is NetworkKind.Rnn or NetworkKind.Lstm;
        double obs = observationSize, batch = dqn.BatchSize;
        double rows = recurrent ? batch * (dqn.SequenceLength + 1.0) : batch;   // rows a forward pass holds

        // Replay ring: s and s' as floats, action, reward, terminated, truncated (+ the episode index for sequences).
        double replay = dqn.BufferSize * (2 * obs * FloatBytes + 4 + 4 + 4 + 1 + (recurrent ? 8 : 0));

        // Parameters of one network, and the widest activation any layer holds per row.
        var widths = new List<double> { obs };
        double parameters = 0, cellRowFloats = 0;
        var hidden = config.Network.HiddenSizes;
        int first = 0;
        if (recurrent && hidden.Count > 0)
        {
            double h = hidden[0], gates = config.Network.Type == NetworkKind.Lstm ? 4 : 1;
            parameters += gates * h * (obs + h) + 2 * gates * h;
            cellRowFloats = obs + gates * h * 3 + 2 * h;   // inputs, gates and their gradients, states
            widths = [h];
            first = 1;
        }
        for (int i = first; i < hidden.Count; i++) widths.Add(hidden[i]);
        widths.Add(actions);
        double widthSum = 0, widest = 0;
        for (int i = 0; i + 1 < widths.Count; i++)
        {
            parameters += widths[i] * widths[i + 1] + widths[i + 1];
            widthSum += widths[i] + widths[i + 1];
            widest = Math.Max(widest, widths[i] * widths[i + 1]);
        }
        double optimizerFloats = config.Optimizer.Type switch
        {
            OptimizerKind.Adam => 2,
            OptimizerKind.Rmsprop => 3,      // square average, and with centered/momentum a mean and a velocity
            OptimizerKind.DeepmindRmsprop => 2,
            _ => 1,                          // SGD's momentum buffer
        };
        // Online and target: weights and gradients each; the optimiser's state for the online network.
        double network = parameters * (2 * 2 + optimizerFloats) * FloatBytes;
        // Activations (inputs, outputs, input gradients) of both networks, and the sampled batch itself.
        double activations = 2 * rows * (3 * widthSum + cellRowFloats) * FloatBytes + rows * (2 * obs + 4 + 2 * actions) * FloatBytes;

        // The largest single array: .NET caps an array at Array.MaxLength elements, however much memory there is.
        var arrays = new (double Elements, string Key)[]
        {
            (dqn.BufferSize * obs, "dqn.buffer_size"),
            (parameters, "network.hidden_sizes"),
            (widest, "network.hidden_sizes"),
            (rows * Math.Max(widthSum, cellRowFloats), "dqn.batch_size"),
        };
        var largest = arrays.MaxBy(a => a.Elements);
        return new MemoryBudget(replay, network, activations, largest.Elements, largest.Key);
    }

    /// <summary>The key to blame: the part of the estimate that is largest.</summary>
    public (string Key, string What, double Bytes) LargestPart(DqnConfig config)
    {
        bool recurrent = config.Network.Type is NetworkKind.Rnn or NetworkKind.Lstm;
        var parts = new (string Key, string What, double Bytes)[]
        {
            ("dqn.buffer_size", $"a replay buffer of {Count(config.Algorithm.BufferSize)} transitions", ReplayBytes),
            ("network.hidden_sizes", $"networks of hidden sizes [{string.Join(", ", config.Network.HiddenSizes)}] (weights, gradients, optimiser state)", NetworkBytes),
            ("dqn.batch_size", recurrent
                ? $"batches of {Count(config.Algorithm.BatchSize)} sequences × {config.Algorithm.SequenceLength} steps (activations)"
                : $"batches of {Count(config.Algorithm.BatchSize)} (activations)", BatchBytes),
        };
        return parts.MaxBy(p => p.Bytes);
    }

    /// <summary>Null when `seedsAtOnce` seeds of `config` fit in `availableBytes`; else the message, naming the key.</summary>
    public static string? Check(DqnConfig config, int observationSize, int actions, int seedsAtOnce, long availableBytes)
    {
        var budget = Estimate(config, observationSize, actions);
        double total = seedsAtOnce * budget.SeedBytes + OverheadBytes;
        if (total > availableBytes)
        {
            var (key, what, bytes) = budget.LargestPart(config);
            string seeds = seedsAtOnce == 1 ? "1 seed" : $"{seedsAtOnce} seeds at once (--parallel)";
            return $"{key}: {what} need {Bytes(bytes)} per seed; training {seeds} needs about {Bytes(total)} of memory, "
                   + $"but this machine has {Bytes(availableBytes)} available. Lower {key}"
                   + (seedsAtOnce > 1 ? " or --parallel." : ".");
        }
        if (budget.LargestArray > Array.MaxLength)
        {
            // Enough memory, but .NET caps one array at Array.MaxLength elements.
            return $"{budget.LargestArrayKey}: the config asks for {Count(budget.LargestArray)} floats in one array, more than "
                   + $".NET holds in one array ({Count(Array.MaxLength)}); lower {budget.LargestArrayKey}.";
        }
        return null;
    }

    /// <summary>Memory the process can use now: the OS's available memory (Linux MemAvailable), capped by the
    /// runtime's limit (a container's cgroup limit, if any).</summary>
    public static long AvailableBytes()
    {
        long limit = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        try
        {
            foreach (string line in File.ReadLines("/proc/meminfo"))
            {
                if (!line.StartsWith("MemAvailable:", StringComparison.Ordinal)) continue;
                string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length >= 2 && long.TryParse(parts[1], out long kb)) return Math.Min(limit, kb * 1024);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not Linux, or no /proc: the runtime's figure is the best there is.
        }
        return limit;
    }

    private static string Count(double n) => n.ToString("N0", CultureInfo.InvariantCulture);

    public static string Bytes(double bytes) => bytes switch
    {
        >= 1024.0 * 1024 * 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024 * 1024 * 1024):F1} TB"),
        >= 1024.0 * 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024 * 1024):F1} GB"),
        >= 1024.0 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):F0} MB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:F0} KB"),
    };
}
