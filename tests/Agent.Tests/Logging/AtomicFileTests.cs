using DqnStudy.Agent.Logging;
using DqnStudy.Agent.Tests.EndToEnd;

namespace DqnStudy.Agent.Tests.Logging;

/// <summary>A file replaced through a temporary file and a rename: a write that fails half-way leaves the old one.</summary>
public sealed class AtomicFileTests
{
    [Fact]
    public void AWriteThatFailsLeavesTheOldFileAndNoTemporaryOne()
    {
        using var run = new TinyRun();
        string path = Path.Combine(run.Folder, "summary.txt");
        AtomicFile.WriteAllText(path, "old");
        Assert.Throws<IOException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write("half of the new"u8);
            throw new IOException("disk full");
        }));
        Assert.Equal("old", File.ReadAllText(path));
        Assert.False(File.Exists(path + AtomicFile.TempSuffix));
        AtomicFile.WriteAllText(path, "new");
        Assert.Equal("new", File.ReadAllText(path));
    }
}
