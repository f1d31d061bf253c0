using System.Globalization;
using System.Text;
using DqnStudy.Agent.Dqn;
using DqnStudy.Agent.Logging;
using DqnStudy.Agent.Runs;
using DqnStudy.Agent.Logging.TensorBoard;
using DqnStudy.Agent.Tests.EndToEnd;
using DqnStudy.Nn.Blas;

namespace DqnStudy.Agent.Tests.Logging;

/// <summary>
/// TensorBoard event files read back by an independent reader (Python: its own CRC32C, the protobuf runtime, TensorBoard's
/// purge rule) must hold exactly the numbers of the CSV logs, as (tag, step, value) triples.
/// </summary>
public sealed class TensorBoardLogTests
{
    private const string TensorBoardOn = "logging: { tensorboard: true }";

    [Fact]
    public void Crc32C_MatchesTheStandardCheckValue()
    {
        Assert.Equal(0xE3069283u, TfRecordWriter.Crc32C("123456789"u8));
        Assert.Equal(0u, TfRecordWriter.Crc32C([]));
        // 32 zero bytes: RFC 3720 B.4's first iSCSI test vector.
        Assert.Equal(0x8A9136AAu, TfRecordWriter.Crc32C(new byte[32]));
    }

    [SkippableFact]
    public void EventFiles_HoldEveryCsvNumber_AsTensorBoardReadsThem()
    {
        string python = TensorBoardReader.Python();
        using var run = new TinyRun(TensorBoardOn);
        string folder = run.SeedFolder("tb");
        Assert.Equal(RunStatus.Completed, Train(run, folder));

        var files = TensorBoardReader.Read(python, folder);
        var file = Assert.Single(files.Files);
        Assert.StartsWith(TensorBoardLog.FilePrefix, file.Name, StringComparison.Ordinal);
        Assert.Equal(TensorBoardLog.FileVersion, file.FileVersion);
        Assert.Empty(file.Starts);

        var expected = FromCsv(folder);
        Assert.Contains(expected, s => s.Tag == "progress/loss");
        Assert.Contains(expected, s => s.Tag == "eval/return_mean");
        Assert.Contains(expected, s => s.Tag == TensorBoardLog.EpisodeReturnTag);
        Assert.Equal(Sorted(expected), Sorted(files.Scalars));
    }

    [SkippableFact]
    public void ResumedRun_ReadsAsTheUninterruptedOne_AfterTensorBoardsPurge()
    {
        string python = TensorBoardReader.Python();
        using var run = new TinyRun(TensorBoardOn);
        string straight = run.SeedFolder("straight"), resumed = run.SeedFolder("resumed");
        Assert.Equal(RunStatus.Completed, Train(run, straight));
        // A kill -9 after the checkpoint at 200: a first session stops there, a second logs on to the end, then
        // the checkpoint of step 200 is put back and a third session resumes from it, logging 201..600 again.
        Assert.Equal(RunStatus.Interrupted, Train(run, resumed, stopAt: 200));
        string checkpoint = Path.Combine(resumed, RunFolder.Checkpoint);
        byte[] at200 = File.ReadAllBytes(checkpoint);
        Assert.Equal(RunStatus.Completed, Train(run, resumed, resume: true));
        File.WriteAllBytes(checkpoint, at200);
        Assert.Equal(RunStatus.Completed, Train(run, resumed, resume: true));

        var files = TensorBoardReader.Read(python, resumed);
        Assert.Equal(3, files.Files.Count);
        Assert.Equal([201L], files.Files[1].Starts);
        Assert.Equal([201L], files.Files[2].Starts);
        // Wall-clock columns differ between any two runs; everything else is the same trajectory.
        static bool Deterministic((string Tag, long, float) s) => s.Tag is not ("progress/sps" or "progress/time_elapsed");
        Assert.Equal(Sorted(TensorBoardReader.Read(python, straight).Scalars.Where(Deterministic)), Sorted(files.Scalars.Where(Deterministic)));
        Assert.Equal(Sorted(FromCsv(resumed)), Sorted(files.Scalars));
    }

    [SkippableFact]
    public void Reader_RejectsAFlippedByte()
    {
        // The reader above must be able to fail: one changed bit in a payload breaks its CRC.
        string python = TensorBoardReader.Python();
        using var run = new TinyRun(TensorBoardOn);
        string folder = run.SeedFolder("tb");
        Assert.Equal(RunStatus.Completed, Train(run, folder));
        string path = Directory.GetFiles(folder, TensorBoardLog.FilePrefix + "*").Single();
        byte[] bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x10;
        File.WriteAllBytes(path, bytes);
        var (code, _, stderr) = TensorBoardReader.RunReader(python, folder);
        Assert.Equal(1, code);
        Assert.Contains("CRC mismatch", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Logging_AllocatesNothing()
    {
        using var run = new TinyRun();
        string folder = run.SeedFolder("alloc");
        string[] columns = ["steps", "loss", "mean_q"];
        using var log = TensorBoardLog.Create(folder, columns, RunFolder.EvalColumns, resumedAt: null);
        double[] row = [100, 0.5, 1.25];
        double[] evaluation = [0, 10, 1, 9, 11, 10, 2];
        for (int i = 0; i < 50; i++) { log.ProgressRow(row); log.Episode(i, 1.0, 3); log.Evaluation(evaluation); }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++) { row[0] = evaluation[0] = i; log.ProgressRow(row); log.Episode(i, 1.0, 3); log.Evaluation(evaluation); }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Off_ByDefault_NoEventFile()
    {
        using var run = new TinyRun();
        string folder = run.SeedFolder("plain");
        Assert.Equal(RunStatus.Completed, Train(run, folder));
        Assert.Empty(Directory.GetFiles(folder, "*tfevents*"));
    }

    private static RunStatus Train(TinyRun run, string folder, long? stopAt = null, bool resume = false)
    {
        using var trainer = new DqnTrainer(run.Load(), 0, folder, new ManagedBlas());
        return trainer.Run(CancellationToken.None, resume, until: stopAt);
    }

    /// <summary>The triples the CSV logs imply: progress/&lt;column&gt; per row, episode/return and episode/length at each
    /// episode's end step (the running sum of monitor.csv's lengths), eval/&lt;column&gt; per evaluation.</summary>
    private static List<(string Tag, long Step, float Value)> FromCsv(string folder)
    {
        var triples = new List<(string, long, float)>();
        void Table(string file, string prefix, int skip)
        {
            string[] lines = File.ReadAllLines(Path.Combine(folder, file)).Skip(skip).ToArray();
            string[] header = lines[0].Split(',');
            foreach (string line in lines.Skip(1))
            {
                string[] cells = line.Split(',');
                long step = long.Parse(cells[0], CultureInfo.InvariantCulture);
                for (int c = 1; c < cells.Length; c++)
                    if (cells[c].Length > 0) triples.Add((prefix + header[c], step, (float)double.Parse(cells[c], CultureInfo.InvariantCulture)));
            }
        }
        Table(RunFolder.Progress, "progress/", 0);
        Table(RunFolder.Eval, "eval/", 0);
        long end = 0;
        foreach (string line in File.ReadAllLines(Path.Combine(folder, RunFolder.Monitor)).Skip(2))
        {
            string[] cells = line.Split(',');
            int length = int.Parse(cells[1], CultureInfo.InvariantCulture);
            end += length;
            triples.Add((TensorBoardLog.EpisodeReturnTag, end, (float)double.Parse(cells[0], CultureInfo.InvariantCulture)));
            triples.Add((TensorBoardLog.EpisodeLengthTag, end, length));
        }
        return triples;
    }

    private static List<string> Sorted(IEnumerable<(string Tag, long Step, float Value)> triples) =>
        triples.Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Tag} {t.Step} {t.Value:R}")).Order(StringComparer.Ordinal).ToList();
}
