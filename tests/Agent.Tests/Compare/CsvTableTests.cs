using DqnStudy.Agent.Compare;

namespace DqnStudy.Agent.Tests.Compare;

public sealed class CsvTableTests
{
    [Fact]
    public void Read_DropsPartialLastLineWithNote()
    {
        using var runs = new SyntheticRuns();
        string path = runs.Path_("progress.csv");
        File.WriteAllText(path, "steps,loss\n100,0.5\n200,0.25\n300,0.1");   // killed while writing "300,0.125"
        CsvTable table = CsvTable.Read(path);
        Assert.Equal(2, table.RowCount);
        Assert.Equal([100.0, 200.0], table.Column("steps"));
        Assert.Contains(table.Notes, n => n.StartsWith($"{path}:4:", StringComparison.Ordinal));
    }

    [Fact]
    public void Read_EmptyCellIsMissing_ColumnsByName()
    {
        using var runs = new SyntheticRuns();
        string path = runs.Path_("p.csv");
        File.WriteAllText(path, "steps,loss,extra\r\n100,,7\r\n200,0.5,8\r\n");
        CsvTable table = CsvTable.Read(path);
        Assert.True(double.IsNaN(table.Column("loss")[0]));
        Assert.Equal(0.5, table.Column("loss")[1]);
        Assert.Equal([7.0, 8.0], table.Column("extra"));
        Assert.Empty(table.Notes);
    }

    [Fact]
    public void Read_CorruptMiddleLineThrowsNamingFileAndLine()
    {
        using var runs = new SyntheticRuns();
        string path = runs.Path_("eval.csv");
        File.WriteAllText(path, "steps,return_mean\n100,5\n200,abc\n300,7\n");
        var e = Assert.Throws<RunDataException>(() => CsvTable.Read(path));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("line 3", e.Message, StringComparison.Ordinal);

        File.WriteAllText(path, "steps,return_mean\n100,5,9\n");
        Assert.Contains("expected 2 fields, found 3", Assert.Throws<RunDataException>(() => CsvTable.Read(path)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_EmptyFileThrowsNamingFile()
    {
        using var runs = new SyntheticRuns();
        string path = runs.Path_("monitor.csv");
        File.WriteAllText(path, "");
        Assert.Contains(path, Assert.Throws<RunDataException>(() => CsvTable.Read(path)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MonitorHeaderIsKeptAsComment()
    {
        using var runs = new SyntheticRuns();
        string path = runs.Path_("0.monitor.csv");
        File.WriteAllText(path, "#{\"t_start\": 1.5, \"env_id\": \"CartPole-v1\"}\nr,l,t\n10.0,10,0.1\n");
        CsvTable table = CsvTable.Read(path);
        Assert.StartsWith("{\"t_start\"", table.CommentLine, StringComparison.Ordinal);
        Assert.Equal([10.0], table.Column("r"));
    }
}
