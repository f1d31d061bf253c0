using DqnStudy.Agent.Logging;
using DqnStudy.Agent.Tests.EndToEnd;

namespace DqnStudy.Agent.Tests.Logging;

/// <summary>The append-only CSV every run log is written with: its number formats, its header, and the cut back to
/// a checkpoint's length that a resume makes.</summary>
public sealed class CsvLogTests
{
    [Fact]
    public void RowsAreFlushedInShortestRoundTripFormsWithNaNAsAnEmptyCell()
    {
        using var run = new TinyRun();
        string path = Path.Combine(run.Folder, "a.csv");
        using var log = CsvLog.Create(path, "#comment", "x,y,z,w");
        log.Add(0.1f).Add(1.0 / 3).Add(42L).Add(double.NaN).EndRow();
        // Flushed after every row: another reader sees it while the log is still open.
        using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        Assert.Equal("#comment\nx,y,z,w\n0.1,0.3333333333333333,42,\n", reader.ReadToEnd());
        Assert.Equal(new FileInfo(path).Length, log.Length);
    }

    [Fact]
    public void CreateRefusesAnExistingFile()
    {
        using var run = new TinyRun();
        string path = Path.Combine(run.Folder, "b.csv");
        File.WriteAllText(path, "someone else's\n");
        Assert.Throws<IOException>(() => CsvLog.Create(path, "x"));
        Assert.Equal("someone else's\n", File.ReadAllText(path));
    }

    [Fact]
    public void ReopenAtCutsBackToTheRecordedLengthAndAppendsAfterIt()
    {
        using var run = new TinyRun();
        string path = Path.Combine(run.Folder, "c.csv");
        long recorded;
        using (var log = CsvLog.Create(path, "x"))
        {
            log.Add(1L).EndRow();
            recorded = log.Length;
            log.Add(2L).EndRow();
        }
        File.AppendAllText(path, "3,partial");   // a killed writer's torn last line
        using (var log = CsvLog.ReopenAt(path, recorded)) log.Add(4L).EndRow();
        Assert.Equal("x\n1\n4\n", File.ReadAllText(path));

        var tooLong = Assert.Throws<InvalidDataException>(() => CsvLog.ReopenAt(path, 1000));
        Assert.Contains("truncated outside the tool", tooLong.Message);
        Assert.Throws<InvalidDataException>(() => CsvLog.ReopenAt(path, -1));
    }
}
