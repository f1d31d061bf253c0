namespace DqnStudy.Agent.Runs;

/// <summary>
/// The format of a seed folder, by name: its files and their columns. The one place these names are spelled: the
/// writers (<see cref="RunLog"/>, <see cref="Checkpoint"/>, <see cref="ModelFiles"/>) and the readers (compare,
/// evaluate, export, sweep status, the resume checks) all take them from here, so a reader cannot drift from what
/// was written. monitor.csv keeps Stable-Baselines3's Monitor names (r, l, t) so SB3 plotting scripts read it.
/// </summary>
public static class RunFolder
{
    public const string Config = "config.yaml";
    public const string Monitor = "monitor.csv";
    public const string Progress = "progress.csv";
    public const string Eval = "eval.csv";
    public const string Summary = "summary.json";
    public const string Checkpoint = "checkpoint.bin";
    public const string BestModel = "best_model.bin";
    public const string FinalModel = "final_model.bin";
    public const string Lock = ".lock";
    /// <summary>TensorBoard's event files: one per session, this prefix then time, host, process and a counter.</summary>
    public const string TensorBoardPrefix = Logging.TensorBoard.TensorBoardLog.FilePrefix;

    /// <summary>Every file's path in `folder`.</summary>
    public static string PathOf(string folder, string file) => Path.Combine(folder, file);

    // ---- columns ---------------------------------------------------------------------------------

    /// <summary>The env step: the first column of progress.csv and eval.csv.</summary>
    public const string Steps = "steps";

    /// <summary>monitor.csv: episode return, length, seconds since t_start.</summary>
    public const string EpisodeReturn = "r", EpisodeLength = "l", EpisodeTime = "t";
    public static readonly IReadOnlyList<string> MonitorColumns = [EpisodeReturn, EpisodeLength, EpisodeTime];

    /// <summary>The keys of monitor.csv's first line, #{"t_start": unix seconds, "env_id": id}.</summary>
    public const string MonitorStart = "t_start", MonitorEnvId = "env_id";

    /// <summary>eval.csv: one greedy evaluation per row (<see cref="EvaluationResult"/>, in this order).</summary>
    public const string EvalReturnMean = "return_mean";
    public static readonly IReadOnlyList<string> EvalColumns =
        [Steps, EvalReturnMean, "return_std", "return_min", "return_max", "length_mean", "episodes"];

    /// <summary>progress.csv columns read by name (the diagnostic figures of compare, the live display): the
    /// interval's mean loss, mean Q of the sampled batches, shares of samples whose gradient the loss zeroed or
    /// clipped, and the mean global gradient norm.</summary>
    public const string Loss = "loss", MeanQ = "mean_q", ZeroedShare = "zeroed_share", ClippedShare = "clipped_share", GradNorm = "grad_norm";

    /// <summary>progress.csv opens with the counters and the interval statistics every learner has…</summary>
    public static readonly IReadOnlyList<string> ProgressHead =
    [
        Steps, "updates", "episodes", "epsilon", Loss, MeanQ, "td_error_mean", "td_error_max",
        ZeroedShare, ClippedShare, "terminal_share", "terminal_out_of_band_share", "mean_q_terminal", GradNorm,
    ];

    /// <summary>…then the learner's own columns, then these three (the run log fills them)…</summary>
    public static readonly IReadOnlyList<string> ProgressTail = ["last100_return", "sps", "time_elapsed"];

    /// <summary>…then the learner's trailing columns (the instruments), if any.</summary>
    public static IReadOnlyList<string> ProgressColumns(IReadOnlyList<string> learnerColumns, IReadOnlyList<string> trailingColumns) =>
        [.. ProgressHead, .. learnerColumns, .. ProgressTail, .. trailingColumns];

    /// <summary>A learner's per-layer (or per-tensor) gradient norm columns: this prefix, then the layer's name.</summary>
    public const string GradientNormPrefix = GradNorm + "_";
}
