using DqnStudy.Agent.Tests.Process;

namespace DqnStudy.Agent.Tests.Robustness;

/// <summary>Nothing of the user's is ever deleted or rewritten: a resume without a checkpoint clears only DqnStudy's
/// own files, and a seed folder (or one of its run files) that is a symbolic link is refused before anything is
/// written, so no link can carry a truncation or a deletion outside the run folder. Through the real process.</summary>
public sealed class SeedFolderSafetyTests
{
    [Fact]
    public void ResumeWithoutACheckpointDeletesOnlyTheToolsOwnFiles()
    {
        using var run = new ProcessRun();
        string folder = run.SeedFolder("keep");
        Directory.CreateDirectory(Path.Combine(folder, "notes"));
        File.WriteAllText(Path.Combine(folder, "data.txt"), "the user's");
        File.WriteAllText(Path.Combine(folder, "notes", "n.md"), "also the user's");
        File.WriteAllText(Path.Combine(folder, "progress.csv"), "stale,rows\n1,2\n");   // DqnStudy's name: cleared
        File.WriteAllText(Path.Combine(folder, "checkpoint.bin.tmp"), "half a checkpoint");

        var result = run.Train("keep", "--resume");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("the user's", File.ReadAllText(Path.Combine(folder, "data.txt")));
        Assert.Equal("also the user's", File.ReadAllText(Path.Combine(folder, "notes", "n.md")));
        Assert.Contains("data.txt", result.Stdout);                                       // said it left them
        Assert.False(File.Exists(Path.Combine(folder, "checkpoint.bin.tmp")));
        Assert.StartsWith("steps,", File.ReadAllText(Path.Combine(folder, "progress.csv")));
        Assert.Equal("completed", ProcessRun.Summary(folder).GetProperty("status").GetString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ASeedFolderThatIsALinkIsRefused(bool resume)
    {
        using var run = new ProcessRun();
        string outside = Path.Combine(run.Folder, "elsewhere");
        Directory.CreateDirectory(outside);
        File.WriteAllText(Path.Combine(outside, "data.txt"), "the user's");
        File.WriteAllText(Path.Combine(outside, "progress.csv"), "the user's too");
        Directory.CreateDirectory(Path.Combine(run.RunsRoot, "linked"));
        Directory.CreateSymbolicLink(run.SeedFolder("linked"), outside);

        var result = resume ? run.Train("linked", "--resume") : run.Train("linked");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("is a symbolic link", result.Stderr);
        ProcessRun.AssertNoStackTrace(result);
        Assert.Equal(["data.txt", "progress.csv"], Directory.GetFiles(outside).Select(Path.GetFileName).Order());
        Assert.Equal("the user's too", File.ReadAllText(Path.Combine(outside, "progress.csv")));
    }

    [Theory]
    [InlineData("progress.csv", true)]
    [InlineData("monitor.csv", true)]
    [InlineData(".lock", false)]
    [InlineData("summary.json", true)]
    public void ARunFileThatIsALinkIsRefused(string file, bool resume)
    {
        using var run = new ProcessRun();
        if (resume) Assert.Equal(0, run.Train("files", "--steps", "400").ExitCode);
        string folder = run.SeedFolder("files");
        Directory.CreateDirectory(folder);
        string victim = Path.Combine(run.Folder, "victim.txt");
        File.WriteAllText(victim, "must survive");
        File.Delete(Path.Combine(folder, file));
        File.CreateSymbolicLink(Path.Combine(folder, file), victim);

        var result = resume ? run.Train("files", "--resume", "--steps", "600") : run.Train("files");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"{file} is a symbolic link", result.Stderr);
        ProcessRun.AssertNoStackTrace(result);
        Assert.Equal("must survive", File.ReadAllText(victim));
    }

    [Fact]
    public void ASeedFolderThatIsAFileIsRefused()
    {
        using var run = new ProcessRun();
        Directory.CreateDirectory(Path.Combine(run.RunsRoot, "f"));
        File.WriteAllText(run.SeedFolder("f"), "a file where seed-0 goes");
        var result = run.Train("f", "--resume");
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("is a file, not a folder", result.Stderr);
        Assert.Equal("a file where seed-0 goes", File.ReadAllText(run.SeedFolder("f")));
    }
}
