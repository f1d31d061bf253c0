namespace DqnStudy.Agent.Logging;

/// <summary>Write-to-temp, flush to disk, rename: a crash at any moment leaves the old file or the new one, never a torn one.</summary>
public static class AtomicFile
{
    /// <summary>Appended to the path for the temporary file that becomes it.</summary>
    public const string TempSuffix = ".tmp";

    public static void WriteAllText(string path, string text) =>
        Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), leaveOpen: true);
            writer.Write(text);
        });

    public static void Write(string path, Action<Stream> write)
    {
        string temp = path + TempSuffix;
        try
        {
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A full disk: the half-written temporary file is ours and only takes the space the rest still needs.
            try { File.Delete(temp); } catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException) { }
            throw;
        }
        File.Move(temp, path, overwrite: true);
    }
}
