namespace DqnStudy.Agent.Tests.Process;

/// <summary>Every exit code the train command promises (0 done, 1 failed, 2 bad input), through the real process.</summary>
public sealed class ExitCodeTests
{
    [Fact]
    public void CleanShortRunExitsZeroAndWritesTheRunFiles()
    {
        using var run = new ProcessRun();
        var result = run.Train("clean");
        Assert.True(result.ExitCode == 0, result.ToString());
        foreach (string file in ProcessRun.RunFiles)
            Assert.True(File.Exists(Path.Combine(run.SeedFolder("clean"), file)), $"{file} missing\n{result}");
        Assert.Empty(ProcessRun.CheckFilesParse(run.SeedFolder("clean")));
        Assert.Equal("completed", ProcessRun.Summary(run.SeedFolder("clean")).GetProperty("status").GetString());
    }

    [Fact]
    public void BadConfigExitsTwoWithTheMessageAndNoStackTrace()
    {
        using var run = new ProcessRun();
        string bad = Path.Combine(run.Folder, "bad.yaml");
        File.WriteAllText(bad, "extends: tiny.yaml\ndqn:\n  gama: 0.9\n  batch_size: -4\n");
        var result = AgentProcess.Run(run.Folder, "--config", bad, "--out", run.RunsRoot);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("bad.yaml", result.Stderr);
        Assert.Contains("gama", result.Stderr);
        Assert.Contains("gamma", result.Stderr);          // did you mean
        Assert.Contains("batch_size", result.Stderr);     // every error of the file at once
        ProcessRun.AssertNoStackTrace(result);
        Assert.False(Directory.Exists(run.RunsRoot));
    }

    [Fact]
    public void AConvLayerThatCannotFitTheObservationExitsTwoBeforeAnyFolderIsMade()
    {
        using var run = new ProcessRun();
        string bad = Path.Combine(run.Folder, "bigkernel.yaml");
        File.WriteAllText(bad, $"extends: {Path.Combine(DqnStudy.Agent.Tests.Config.Repo.ConfigsDir, "minatar-breakout-huber.yaml")}\nnetwork:\n  conv: [{{filters: 16, kernel: 3, stride: 2}}, {{filters: 8, kernel: 5}}]\n");
        var result = AgentProcess.Run(run.Folder, "--config", bad, "--out", run.RunsRoot);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("bigkernel.yaml: network.conv[1] (filters 8, kernel 5, stride 1, padding 0) cannot take the 16×4×4 images network.conv[0] makes", result.Stderr);
        ProcessRun.AssertNoStackTrace(result);
        Assert.False(Directory.Exists(run.RunsRoot));
    }

    [Fact]
    public void UnknownOptionExitsTwo()
    {
        using var run = new ProcessRun();
        var result = run.Train("x", "--bogus-option");
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("--bogus-option", result.Stderr);
        ProcessRun.AssertNoStackTrace(result);
    }

    [Fact]
    public void ExplicitMklWithoutTheLibraryExitsTwoWithTheInstallHint()
    {
        using var run = new ProcessRun();
        var result = AgentProcess.Run(run.Folder, new Dictionary<string, string> { ["DQNSTUDY_MKL_LIBRARY"] = "/nonexistent/libmkl_rt.so" },
                                      run.Args("mkl", "--blas", "mkl"));
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("apt-get install libmkl-rt", result.Stderr);
        Assert.Contains("/nonexistent/libmkl_rt.so", result.Stderr);
        ProcessRun.AssertNoStackTrace(result);
        Assert.False(Directory.Exists(run.SeedFolder("mkl")), "an explicit mkl that cannot load must stop before any folder is made");
    }

    [Fact]
    public void AutoWithoutMklFallsBackToManagedAndSaysSoOnce()
    {
        using var run = new ProcessRun();
        var result = AgentProcess.Run(run.Folder, new Dictionary<string, string> { ["DQNSTUDY_MKL_LIBRARY"] = "/nonexistent/libmkl_rt.so" },
                                      run.Args("auto", "--blas", "auto", "--seeds", "2", "--steps", "300"));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Single(result.Stdout.Split('\n'), l => l.Contains("MKL unavailable", StringComparison.Ordinal));
        Assert.Contains("using managed", result.Stdout);
        for (int seed = 0; seed < 2; seed++)
            Assert.Equal("managed", ProcessRun.Summary(run.SeedFolder("auto", seed)).GetProperty("blas").GetString());
    }

    [Fact]
    public void UnknownBlasInTheEnvironmentExitsTwo()
    {
        using var run = new ProcessRun();
        var result = AgentProcess.Run(run.Folder, new Dictionary<string, string> { ["DQNSTUDY_BLAS"] = "openblas" }, run.Args("env"));
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("DQNSTUDY_BLAS", result.Stderr);
        ProcessRun.AssertNoStackTrace(result);
    }

    [Fact]
    public void AnExistingRunFolderExitsTwoNamingResume()
    {
        using var run = new ProcessRun();
        Assert.Equal(0, run.Train("twice", "--steps", "300").ExitCode);
        var before = File.ReadAllBytes(Path.Combine(run.SeedFolder("twice"), "progress.csv"));
        var result = run.Train("twice", "--steps", "300");
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("--resume", result.Stderr);
        Assert.Contains("--name", result.Stderr);
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(run.SeedFolder("twice"), "progress.csv")));
    }

    [Theory]
    [InlineData("../x")]
    [InlineData("a/../../x")]
    [InlineData("/tmp/absolute")]
    [InlineData("..")]
    [InlineData("with space")]
    public void NamesThatLeaveTheOutputFolderExitTwo(string name)
    {
        using var run = new ProcessRun();
        var result = run.Train(name);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("run name", result.Stderr);
        ProcessRun.AssertNoStackTrace(result);
        Assert.False(Directory.Exists(run.RunsRoot) && Directory.EnumerateFiles(run.Folder, "*.csv", SearchOption.AllDirectories).Any());
        Assert.False(Directory.Exists(Path.Combine(run.Folder, "x")));
    }

    [Fact]
    public void ResumeWithADifferentConfigExitsTwoNamingTheDifferingKeys()
    {
        using var run = new ProcessRun();
        Assert.Equal(0, run.Train("diff", "--steps", "300").ExitCode);
        var result = run.Train("diff", "--steps", "300", "--resume", "--set", "network.hidden_sizes=[32,16]", "--set", "dqn.gamma=0.9");
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("network.hidden_sizes", result.Stderr);
        Assert.Contains("dqn.gamma", result.Stderr);
        Assert.DoesNotContain("dqn.batch_size", result.Stderr);
        ProcessRun.AssertNoStackTrace(result);
    }

    [Fact]
    public void AnUnwritableOutputFolderExitsTwoBeforeTraining()
    {
        using var run = new ProcessRun();
        // chmod does not stop root (CI runs tests as root), so block the folder with a regular file instead,
        // and also try a folder under /proc, which nobody can create.
        string file = Path.Combine(run.Folder, "not-a-folder");
        File.WriteAllText(file, "x");
        foreach (string outRoot in new[] { Path.Combine(file, "runs"), "/proc/dqnstudy-runs" })
        {
            var result = AgentProcess.Run(run.Folder, "--config", run.ConfigPath, "--out", outRoot);
            Assert.True(result.ExitCode == 2, result.ToString());
            Assert.Contains("Cannot write to the output folder", result.Stderr);
            Assert.Contains("--out", result.Stderr);
            Assert.DoesNotContain("Training '", result.Stdout);
            ProcessRun.AssertNoStackTrace(result);
        }
        Assert.Contains("is a file, not a folder", AgentProcess.Run(run.Folder, "--config", run.ConfigPath, "--out", Path.Combine(file, "runs")).Stderr);
    }

    [Fact]
    public void AReadOnlyFolderIsRefusedWhenChmodBinds()
    {
        if (Environment.UserName == "root" || OperatingSystem.IsWindows()) return; // root ignores modes; covered above by a file in the way
        using var run = new ProcessRun();
        string locked = Path.Combine(run.Folder, "locked");
        Directory.CreateDirectory(locked);
        File.SetUnixFileMode(locked, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        try
        {
            var result = AgentProcess.Run(run.Folder, "--config", run.ConfigPath, "--out", locked);
            Assert.True(result.ExitCode == 2, result.ToString());
            Assert.Contains("Cannot write to the output folder", result.Stderr);
        }
        finally
        {
            File.SetUnixFileMode(locked, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [Fact]
    public void ASeedThatHitsANaNFailsWithADiagnosisAndTheOthersComplete()
    {
        // Plain SGD at learning rate 1e10 overflows the weights on some seeds' first updates and not on others:
        // an honest NaN, from the arithmetic, not injected.
        using var run = new ProcessRun();
        var result = run.Train("nan", "--seeds", "4", "--set", "optimizer.type=sgd", "--set", "optimizer.learning_rate=1e10");
        Assert.True(result.ExitCode == 1, result.ToString());
        var statuses = Enumerable.Range(0, 4).Select(seed => ProcessRun.Summary(run.SeedFolder("nan", seed))).ToArray();
        var failed = statuses.Where(s => s.GetProperty("status").GetString() == "failed").ToArray();
        var completed = statuses.Where(s => s.GetProperty("status").GetString() == "completed").ToArray();
        Assert.True(failed.Length > 0 && completed.Length > 0,
            $"need both outcomes to test isolation; got {failed.Length} failed, {completed.Length} completed (pick another learning rate)\n{result}");
        Assert.Equal(4, failed.Length + completed.Length);
        foreach (var summary in failed)
        {
            string failure = summary.GetProperty("failure").GetString()!;
            Assert.Contains("non-finite", failure);
            Assert.Contains("at env step", failure);
            Assert.Contains("last finite gradient norm", failure);
            Assert.Contains(failure, result.Stdout);
        }
        foreach (var summary in completed) Assert.Equal(600, summary.GetProperty("steps_done").GetInt64());
        Assert.Contains($"{completed.Length} completed, {failed.Length} failed", result.Stdout);
        ProcessRun.AssertNoStackTrace(result);
    }
}
