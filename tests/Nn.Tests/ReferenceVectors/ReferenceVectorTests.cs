using System.Reflection;
using System.Text.Json;
using DqnStudy.Nn.Blas;
using DqnStudy.Nn.Tests.Blas;
using Xunit.Abstractions;

namespace DqnStudy.Nn.Tests.ReferenceVectors;

/// <summary>
/// Runs every case of every *.json in the gradient reference folder on every BLAS provider, llm.c style:
/// one line per case with its largest absolute difference. A file whose kind has no runner fails, and the
/// number of cases run must equal the sum of the files' case_count.
/// </summary>
public sealed class ReferenceVectorTests(ITestOutputHelper output)
{
    public const string FolderVariable = "DQNSTUDY_GRAD_REFERENCE";

    [Fact]
    public void EveryReferenceCaseAgreesWithPyTorch()
    {
        string folder = ReferenceFolder();
        string[] files = Directory.GetFiles(folder, "*.json").OrderBy(f => f, StringComparer.Ordinal).ToArray();
        Assert.True(files.Length > 0, $"No *.json reference files in {folder}.");
        Dictionary<string, IReferenceCaseRunner> runners = Runners();
        var failures = new List<string>();
        int declared = 0;
        var ran = new Dictionary<string, int>();
        IBlas[] providers = [.. TestProviders.All()];

        foreach (string file in files)
        {
            using JsonDocument document = JsonDocument.Parse(File.ReadAllText(file));
            JsonElement root = document.RootElement;
            string kind = RefJson.String(root, "kind");
            int caseCount = RefJson.Int(root, "case_count");
            JsonElement[] cases = [.. RefJson.Get(root, "cases").EnumerateArray()];
            declared += caseCount;
            if (cases.Length != caseCount)
            {
                failures.Add($"{Path.GetFileName(file)}: case_count is {caseCount} but the file holds {cases.Length} cases.");
            }
            if (!runners.TryGetValue(kind, out IReferenceCaseRunner? runner))
            {
                failures.Add($"{Path.GetFileName(file)}: no IReferenceCaseRunner for kind \"{kind}\" ({caseCount} cases not run).");
                continue;
            }
            foreach (IBlas blas in providers)
            {
                foreach (JsonElement c in cases)
                {
                    string label = $"{blas.Name,-8} {kind,-15} {RefJson.Name(c),-45}";
                    try
                    {
                        double maxDiff = runner.Run(c, blas);
                        output.WriteLine($"OK   {label} max |diff| {maxDiff:E2}");
                    }
                    catch (Exception e)
                    {
                        output.WriteLine($"FAIL {label} {e.Message}");
                        failures.Add($"{blas.Name} {kind} {RefJson.Name(c)}: {e.Message}");
                    }
                    ran[blas.Name] = ran.GetValueOrDefault(blas.Name) + 1;
                }
            }
        }

        foreach (IBlas blas in providers)
        {
            int count = ran.GetValueOrDefault(blas.Name);
            output.WriteLine($"{blas.Name}: {count} of {declared} cases run.");
            if (count != declared)
            {
                failures.Add($"{blas.Name}: {count} cases ran but the folder declares {declared}.");
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} reference failure(s) in {folder}:\n" + string.Join("\n", failures));
    }

    /// <summary>DQNSTUDY_GRAD_REFERENCE, else ../shared/reference/grad beside the folder holding DqnStudy.sln.</summary>
    public static string ReferenceFolder()
    {
        string? overridden = Environment.GetEnvironmentVariable(FolderVariable);
        if (!string.IsNullOrEmpty(overridden))
        {
            Assert.True(Directory.Exists(overridden), $"{FolderVariable} names {overridden}, which does not exist.");
            return overridden;
        }
        DirectoryInfo? dir = new(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "DqnStudy.sln")))
        {
            dir = dir.Parent;
        }
        Assert.True(dir is not null, $"No DqnStudy.sln above {AppContext.BaseDirectory}; set {FolderVariable}.");
        string folder = Path.GetFullPath(Path.Combine(dir!.FullName, "..", "shared", "reference", "grad"));
        Assert.True(Directory.Exists(folder), $"The gradient reference folder {folder} does not exist; set {FolderVariable}.");
        return folder;
    }

    private static Dictionary<string, IReferenceCaseRunner> Runners()
    {
        var runners = new Dictionary<string, IReferenceCaseRunner>();
        foreach (Type type in Assembly.GetExecutingAssembly().GetTypes()
                     .Where(t => typeof(IReferenceCaseRunner).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false }))
        {
            var runner = (IReferenceCaseRunner)Activator.CreateInstance(type)!;
            Assert.True(runners.TryAdd(runner.Kind, runner), $"Two runners claim kind \"{runner.Kind}\".");
        }
        return runners;
    }
}
