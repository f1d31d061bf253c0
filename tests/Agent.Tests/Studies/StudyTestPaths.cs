namespace DqnStudy.Agent.Tests.Studies;

/// <summary>The repository's configs/ folder, found by walking up from the test assembly to DqnStudy.sln.</summary>
internal static class StudyTestPaths
{
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DqnStudy.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"No DqnStudy.sln above {AppContext.BaseDirectory}.");
    }

    public static string Config(string fileName) => Path.Combine(RepositoryRoot(), "configs", fileName);

    public static string TempFolder()
    {
        string folder = Path.Combine(Path.GetTempPath(), "dqnstudy-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }
}
