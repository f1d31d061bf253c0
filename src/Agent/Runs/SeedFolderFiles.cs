using DqnStudy.Agent.Logging;
using DqnStudy.Agent.Logging.TensorBoard;

namespace DqnStudy.Agent.Runs;

/// <summary>
/// The files DqnStudy writes in a seed folder, by name: the only ones it ever deletes (a resume that finds no
/// checkpoint starts the seed again and clears them; anything else in the folder is the user's and stays), and
/// the ones that must not be symbolic links, since the tool truncates and appends to them in place.
/// </summary>
public static class SeedFolderFiles
{
    private static readonly string[] s_names =
    [
        RunFolder.Config, RunFolder.Monitor, RunFolder.Progress, RunFolder.Eval, RunFolder.Summary, RunFolder.Checkpoint,
    ];

    /// <summary>True for a file this tool writes in a seed folder (or the temporary file of one being replaced).</summary>
    public static bool IsOwn(string fileName)
    {
        string name = fileName.EndsWith(AtomicFile.TempSuffix, StringComparison.Ordinal) ? fileName[..^AtomicFile.TempSuffix.Length] : fileName;
        return s_names.Contains(name, StringComparer.Ordinal) || name.StartsWith(RunFolder.TensorBoardPrefix, StringComparison.Ordinal);
    }

    /// <summary>Deletes the tool's own files (never the lock, never anything else); returns the names of the
    /// other files it left in place.</summary>
    public static IReadOnlyList<string> RemoveOwn(string folder)
    {
        var kept = new List<string>();
        foreach (string path in Directory.EnumerateFileSystemEntries(folder))
        {
            string name = Path.GetFileName(path);
            if (name == RunLock.FileName) continue;
            if (IsOwn(name) && File.Exists(path)) File.Delete(path);
            else kept.Add(name);
        }
        return kept;
    }

    /// <summary>Null when the seed folder is a real folder inside `group` whose own files are real files; else why not.
    /// A link would let a resume or a lock truncate or delete a file outside the run folder.</summary>
    public static string? CheckNoLinks(string folder, string group)
    {
        var info = new DirectoryInfo(folder);
        if (info.LinkTarget is { } target)
            return $"{folder} is a symbolic link (to {target}); DqnStudy writes only inside the run folder. Replace it with a real folder.";
        if (File.Exists(folder)) return $"{folder} is a file, not a folder; move it away.";
        if (!info.Exists) return null;
        string? parent = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(info.FullName));
        if (!string.Equals(parent, Path.TrimEndingDirectorySeparator(Path.GetFullPath(group)), StringComparison.Ordinal))
            return $"{folder} is not inside the run folder {group}.";
        foreach (var entry in info.EnumerateFileSystemInfos())
        {
            if ((IsOwn(entry.Name) || entry.Name == RunLock.FileName) && entry.LinkTarget is { } fileTarget)
                return $"{entry.FullName} is a symbolic link (to {fileTarget}); DqnStudy rewrites this file in place, so it must be a real file. Remove the link.";
        }
        return null;
    }
}
