namespace DqnStudy.Agent.Sweeps;

/// <summary>How to start this same DqnStudy again from a job script: the app host itself, or `dotnet DqnStudy.Agent.dll`
/// when the app was started through the dotnet muxer.</summary>
public static class AppCommand
{
    public static string Current()
    {
        string assembly = typeof(AppCommand).Assembly.Location;
        string? process = Environment.ProcessPath;
        if (process is null || Path.GetFileNameWithoutExtension(process) == "dotnet")
            return $"{SlurmScript.Quote(process ?? "dotnet")} {SlurmScript.Quote(assembly)}";
        return SlurmScript.Quote(process);
    }
}
