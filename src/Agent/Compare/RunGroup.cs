namespace DqnStudy.Agent.Compare;

/// <summary>One arm of a comparison: its label, where it came from and its seeds.</summary>
public sealed record RunGroup(string Label, string Source, IReadOnlyList<SeedRun> Seeds)
{
    public string? EnvId => Seeds.Select(s => s.EnvId).FirstOrDefault(e => e is not null);
}

/// <summary>What the loader produced: the groups that can be compared and every problem, each naming its file.</summary>
public sealed record LoadResult(IReadOnlyList<RunGroup> Groups, IReadOnlyList<string> Problems, string? EnvId);
