namespace DqnStudy.Agent.Studies;

/// <summary>Where a study's results page goes: docs/studies/&lt;name&gt;/ of the repository (the folder holding
/// DqnStudy.sln above the current directory), else of the current directory.</summary>
public static class StudyPaths
{
    public static string DocsFolder(string studyName)
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DqnStudy.sln")))
            {
                return Path.Combine(dir.FullName, "docs", "studies", studyName);
            }
        }
        return Path.Combine("docs", "studies", studyName);
    }
}
