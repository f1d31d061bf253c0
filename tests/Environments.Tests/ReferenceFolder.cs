namespace DqnStudy.Environments.Tests;

/// <summary>Finds ../shared/reference/envs next to the repository (the folder holding DqnStudy.sln),
/// unless DQNSTUDY_ENV_REFERENCE names another folder of the same format.</summary>
internal static class ReferenceFolder
{
    public const string Variable = "DQNSTUDY_ENV_REFERENCE";

    public static string Locate()
    {
        string? overridden = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrEmpty(overridden))
        {
            Assert.True(Directory.Exists(overridden), $"{Variable} names '{overridden}', which does not exist.");
            return overridden;
        }

        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DqnStudy.sln")))
            {
                string folder = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "reference", "envs"));
                Assert.True(Directory.Exists(folder),
                    $"Reference trajectories not found at '{folder}' (repository root '{dir.FullName}'); set {Variable} to the folder.");
                return folder;
            }
        }

        Assert.Fail($"No DqnStudy.sln above '{AppContext.BaseDirectory}', so the reference folder is unknown; set {Variable}.");
        return string.Empty;
    }
}
