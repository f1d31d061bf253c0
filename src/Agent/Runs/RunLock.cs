namespace DqnStudy.Agent.Runs;

/// <summary>
/// An exclusive lock on a seed folder held for the life of its training (.lock, opened with
/// FileShare.None: an advisory flock on Linux, released by the kernel when the process dies,
/// so a kill -9 never leaves a stale lock).
/// </summary>
public sealed class RunLock : IDisposable
{
    public const string FileName = RunFolder.Lock;
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
        catch (IOException e) when (e.HResult is SharingViolation or WouldBlock)
        {
            throw new RunFolderException($"{seedFolder} is being written by another DqnStudy process ({e.Message.TrimEnd('.')}); wait for it to finish or choose another --name.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not another process: too many open files, a full or read-only disk... say what it is.
            string hint = e.HResult == TooManyOpenFiles
                ? " Each seed being prepared holds its folder's lock open: raise the limit (ulimit -n) or train fewer seeds per run."
                : "";
            throw new RunFolderException($"Cannot lock {seedFolder}: {e.Message}{hint}");
        }
    }

    public void Dispose() => _stream.Dispose();

    /// <summary>Removes seed folders this process made that hold nothing but an (unheld) lock file.</summary>
    public static void RemoveFolders(IEnumerable<string> folders)
    {
        foreach (string folder in folders)
        {
            try
            {
                if (Directory.EnumerateFileSystemEntries(folder).Any(e => Path.GetFileName(e) != FileName)) continue;
                string path = Path.Combine(folder, FileName);
                if (File.Exists(path))
                {
                    // Only a lock nobody holds: another process that won the folder keeps it.
                    using var held = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
                    File.Delete(path);
                }
                Directory.Delete(folder);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Best effort: a folder holding only a lock is treated as empty by the next start anyway.
            }
        }
    }

    // What .NET reports for a lock another process holds: Windows' ERROR_SHARING_VIOLATION; on Unix flock's
    // EWOULDBLOCK, as the raw errno.
    private const int SharingViolation = unchecked((int)0x80070020), WouldBlock = 11, TooManyOpenFiles = 24;
}

/// <summary>A problem with the output folder that the user must fix (exit code 2).</summary>
public sealed class RunFolderException(string message) : Exception(message);
