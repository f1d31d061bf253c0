namespace DqnStudy.Agent.Hosting;

/// <summary>The process exit codes every command uses (docs/guarantees.md).</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int BadInput = 2;
    public const int Interrupted = 130;
}
