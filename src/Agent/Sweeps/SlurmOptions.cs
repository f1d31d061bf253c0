namespace DqnStudy.Agent.Sweeps;

/// <summary>How `sweep slurm` shapes the job array. Null = leave it to the cluster's defaults.</summary>
/// <param name="Throttle">At most this many array tasks run at once (the <c>%N</c> of <c>--array</c>).</param>
/// <param name="Time">Wall-clock limit per task (<c>--time</c>, e.g. 04:00:00); SIGTERM comes 120 s before it.</param>
/// <param name="Memory">Memory per task (<c>--mem</c>, e.g. 2G).</param>
/// <param name="App">The command that starts DqnStudy on the compute nodes, e.g. <c>dotnet /opt/dqnstudy/DqnStudy.Agent.dll</c>.</param>
/// <param name="WorkingFolder">Where tasks run (<c>--chdir</c>): config names are looked up from there, as at submission.</param>
public sealed record SlurmOptions(
    string OutRoot,
    string App,
    string WorkingFolder,
    int Throttle = 8,
    string? Partition = null,
    string? Time = null,
    string? Memory = null,
    string? Account = null);
