namespace DqnStudy.Agent.Runs;

/// <summary>
/// An exclusive lock on a seed folder held for the life of its training (.lock, opened with
/// FileShare.None: an advisory flock on Linux, released by the kernel when the process dies,
/// so a kill -9 never leaves a stale lock).
/// </summary>
public sealed class RunLock : IDisposable
{
    public const string FileName = ".lock";
    private readonly FileStream _stream;

    private RunLock(FileStream stream) => _stream = stream;

    public static RunLock Acquire(string seedFolder)
    {
        string path = Path.Combine(seedFolder, FileName);
        try
        {
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            stream.SetLength(0);
            using (var writer = new StreamWriter(stream, leaveOpen: true)) writer.Write(Environment.ProcessId);
            stream.Flush();
            return new RunLock(stream);
        }
        catch (IOException e)
        {
            throw new RunFolderException($"{seedFolder} is being written by another DqnStudy process ({e.Message.TrimEnd('.')}); wait for it to finish or choose another --name.");
        }
    }

    public void Dispose() => _stream.Dispose();
}

/// <summary>A problem with the output folder that the user must fix (exit code 2).</summary>
public sealed class RunFolderException(string message) : Exception(message);
