namespace DqnStudy.Agent.Compare;

/// <summary>A run file that cannot be read; the message always names the file (and the line when known).</summary>
public sealed class RunDataException : Exception
{
    public RunDataException(string path, string message)
        : base($"{path}: {message}")
    {
        FilePath = path;
    }

    public string FilePath { get; }
}
