using System.IO.Compression;

namespace DqnStudy.Tests.Shared;

/// <summary>
/// Where the reference sets live: the repository's own copy under tests/reference/&lt;set&gt; unless an environment
/// variable names another folder of the same format. Files are kind.json or kind.json.gz (the repository keeps them
/// compressed); callers never care which. Linked into every test project, so there is one home for this rule.
/// </summary>
internal static class ReferenceData
{
    public const string GradVariable = "DQNSTUDY_GRAD_REFERENCE";
    public const string EnvVariable = "DQNSTUDY_ENV_REFERENCE";
    public const string MinAtarVariable = "DQNSTUDY_MINATAR_REFERENCE";

    public static string GradFolder() => Folder("grad", GradVariable);

    public static string EnvFolder() => Folder("envs", EnvVariable);

    public static string MinAtarFolder() => Folder("minatar", MinAtarVariable);

    /// <summary>The folder named by <paramref name="variable"/>, else tests/reference/<paramref name="set"/> of this repository.</summary>
    public static string Folder(string set, string variable)
    {
        string? overridden = Environment.GetEnvironmentVariable(variable);
        if (!string.IsNullOrEmpty(overridden))
        {
            Assert.True(Directory.Exists(overridden), $"{variable} names '{overridden}', which does not exist.");
            return Path.GetFullPath(overridden);
        }
        string folder = Path.Combine(RepositoryRoot(), "tests", "reference", set);
        Assert.True(Directory.Exists(folder), $"The repository's reference folder '{folder}' is missing; set {variable} to a folder of the same format.");
        return folder;
    }

    /// <summary>Every *.json and *.json.gz in the folder, ordered by kind name (a kind present in both forms is an error).</summary>
    public static IReadOnlyList<string> Files(string folder)
    {
        string[] files = [.. Directory.GetFiles(folder, "*.json").Concat(Directory.GetFiles(folder, "*.json.gz"))
            .OrderBy(KindOf, StringComparer.Ordinal)];
        string? twice = files.GroupBy(KindOf).FirstOrDefault(g => g.Count() > 1)?.Key;
        Assert.True(twice is null, $"{folder} holds '{twice}' both as .json and .json.gz; keep one.");
        Assert.True(files.Length > 0, $"No *.json or *.json.gz reference files in {folder}.");
        return files;
    }

    /// <summary>The file for one kind in the folder, compressed or not.</summary>
    public static string File(string folder, string kind)
    {
        foreach (string candidate in new[] { kind + ".json", kind + ".json.gz" })
        {
            string path = Path.Combine(folder, candidate);
            if (System.IO.File.Exists(path))
            {
                return path;
            }
        }
        Assert.Fail($"Reference file '{kind}.json' (or .json.gz) is missing from {folder}.");
        return "";
    }

    /// <summary>The file's JSON bytes, decompressed when it ends in .gz.</summary>
    public static byte[] ReadAllBytes(string path)
    {
        if (!path.EndsWith(".gz", StringComparison.Ordinal))
        {
            return System.IO.File.ReadAllBytes(path);
        }
        using FileStream file = System.IO.File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var bytes = new MemoryStream();
        gzip.CopyTo(bytes);
        return bytes.ToArray();
    }

    /// <summary>"dense" for dense.json and dense.json.gz.</summary>
    public static string KindOf(string path)
    {
        string name = Path.GetFileName(path);
        return name.EndsWith(".json.gz", StringComparison.Ordinal) ? name[..^".json.gz".Length] : Path.GetFileNameWithoutExtension(name);
    }

    /// <summary>The folder holding DqnStudy.sln above the test assembly.</summary>
    public static string RepositoryRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "DqnStudy.sln")))
            {
                return dir.FullName;
            }
        }
        Assert.Fail($"No DqnStudy.sln above '{AppContext.BaseDirectory}', so the repository's reference data cannot be found.");
        return "";
    }
}
