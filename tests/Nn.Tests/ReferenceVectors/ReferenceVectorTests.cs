using System.Reflection;
using System.Text.Json;
using DqnStudy.Nn.Blas;
using DqnStudy.Nn.Tests.Blas;
using DqnStudy.Tests.Shared;
using Xunit.Abstractions;

namespace DqnStudy.Nn.Tests.ReferenceVectors;

/// <summary>
/// Runs every case of every *.json in the gradient reference folder on every BLAS provider, llm.c style:
/// one line per case with its largest absolute difference. A file whose kind has no runner fails, and the
/// number of cases run must equal the sum of the files' case_count.
/// </summary>
public sealed class ReferenceVectorTests(ITestOutputHelper output)
{
    [Fact]
    public void EveryReferenceCaseAgreesWithPyTorch()
    {
        string folder = ReferenceFolder();
        IReadOnlyList<string> files = ReferenceData.Files(folder);
        Dictionary<string, IReferenceCaseRunner> runners = Runners();
        var failures = new List<string>();
        int declared = 0;
        var ran = new Dictionary<string, int>();
        IBlas[] providers = [.. TestProviders.All()];

        foreach (string file in files)
        {
            using JsonDocument document = JsonDocument.Parse(ReferenceData.ReadAllBytes(file));
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
                    string label = $"{TestProviders.Label(blas),-12} {kind,-15} {RefJson.Name(c),-45}";
                    try
                    {
                        double maxDiff = runner.Run(c, blas);
                        output.WriteLine($"OK   {label} max |diff| {maxDiff:E2}");
                    }
                    catch (Exception e)
                    {
                        output.WriteLine($"FAIL {label} {e.Message}");
                        failures.Add($"{TestProviders.Label(blas)} {kind} {RefJson.Name(c)}: {e.Message}");
                    }
                    ran[TestProviders.Label(blas)] = ran.GetValueOrDefault(TestProviders.Label(blas)) + 1;
                }
            }
        }

        foreach (IBlas blas in providers)
        {
            int count = ran.GetValueOrDefault(TestProviders.Label(blas));
            output.WriteLine($"{TestProviders.Label(blas)}: {count} of {declared} cases run.");
            if (count != declared)
            {
                failures.Add($"{TestProviders.Label(blas)}: {count} cases ran but the folder declares {declared}.");
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} reference failure(s) in {folder}:\n" + string.Join("\n", failures));
    }

    /// <summary>DQNSTUDY_GRAD_REFERENCE, else the repository's tests/reference/grad.</summary>
    public static string ReferenceFolder() => ReferenceData.GradFolder();

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
