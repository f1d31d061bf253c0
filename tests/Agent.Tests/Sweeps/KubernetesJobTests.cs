using System.Text.RegularExpressions;
using DqnStudy.Agent.Config;
using DqnStudy.Agent.Sweeps;
using YamlDotNet.RepresentationModel;

namespace DqnStudy.Agent.Tests.Sweeps;

/// <summary>What this machine can check of the Kubernetes path without a cluster: the manifest is well-formed YAML
/// with an Indexed Job's required fields, and the Dockerfile installs what the README installs.</summary>
public sealed class KubernetesJobTests
{
    [Fact]
    public void TheManifestIsAnIndexedJobWithOneCompletionPerTask()
    {
        using var files = new SweepFiles();
        SweepPlan plan = SweepPlan.Load(files.Write("My_Grid", "configs: [tiny.yaml]\ngrid:\n  dqn.gamma: [0.9, 0.99, 0.999]\nseeds: 4\n"));
        var options = new KubernetesOptions("registry.example/dqnstudy:1", "sweeps/My_Grid.yaml", Parallelism: 6, BackoffLimitPerIndex: 2,
                                            Claim: "study-runs", Cpu: "1", Memory: "2Gi");
        var stream = new YamlStream();
        stream.Load(new StringReader(KubernetesJob.Write(plan, options)));
        var job = (YamlMappingNode)Assert.Single(stream.Documents).RootNode;

        Assert.Equal("batch/v1", Scalar(job, "apiVersion"));
        Assert.Equal("Job", Scalar(job, "kind"));
        string name = Scalar(job, "metadata", "name");
        Assert.Equal("dqnstudy-my-grid", name);
        Assert.Matches("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", name);                   // a DNS label
        Assert.Equal("Indexed", Scalar(job, "spec", "completionMode"));
        Assert.Equal("12", Scalar(job, "spec", "completions"));
        Assert.Equal("6", Scalar(job, "spec", "parallelism"));
        Assert.Equal("2", Scalar(job, "spec", "backoffLimitPerIndex"));
        Assert.Equal("Never", Scalar(job, "spec", "template", "spec", "restartPolicy")); // required by backoffLimitPerIndex

        var rules = (YamlSequenceNode)Node(job, "spec", "podFailurePolicy", "rules");
        Assert.Equal(["Ignore", "FailIndex"], rules.Children.Select(r => Scalar(r, "action")));
        Assert.Equal("DisruptionTarget", Scalar(((YamlSequenceNode)Node(rules[0], "onPodConditions"))[0], "type"));
        Assert.Equal("2", ((YamlSequenceNode)Node(rules[1], "onExitCodes", "values"))[0].ToString());

        var container = (YamlMappingNode)((YamlSequenceNode)Node(job, "spec", "template", "spec", "containers"))[0];
        Assert.Equal("task", Scalar(container, "name"));
        Assert.Equal("task", Scalar(rules[1], "onExitCodes", "containerName"));
        Assert.Equal("registry.example/dqnstudy:1", Scalar(container, "image"));
        Assert.Equal(["dotnet", "/app/DqnStudy.Agent.dll", "sweep", "run", "sweeps/My_Grid.yaml", "--out", "/work/runs"],
                     ((YamlSequenceNode)Node(container, "command")).Children.Select(c => c.ToString()));
        Assert.DoesNotContain("--task", Node(container, "command").ToString());    // JOB_COMPLETION_INDEX picks the task
        Assert.Equal("1", Scalar(container, "resources", "limits", "cpu"));
        Assert.Equal("2Gi", Scalar(container, "resources", "requests", "memory"));
        var env = ((YamlSequenceNode)Node(container, "env")).Children.ToDictionary(e => Scalar(e, "name"), e => Scalar(e, "value"));
        Assert.Equal("1", env["MKL_NUM_THREADS"]);

        var mount = (YamlMappingNode)((YamlSequenceNode)Node(container, "volumeMounts"))[0];
        var volume = (YamlMappingNode)((YamlSequenceNode)Node(job, "spec", "template", "spec", "volumes"))[0];
        Assert.Equal(Scalar(volume, "name"), Scalar(mount, "name"));
        Assert.Equal("/work/runs", Scalar(mount, "mountPath"));
        Assert.Equal("study-runs", Scalar(volume, "persistentVolumeClaim", "claimName"));
    }

    [Fact]
    public void TheDockerfileInstallsMklAsTheReadmeDoes()
    {
        string root = ConfigLoader.FindSolutionRoot(AppContext.BaseDirectory)!;
        string readme = File.ReadAllText(Path.Combine(root, "README.md"));
        string dockerfile = ContainerImage.Write(["configs/", "sweeps/"]);

        // The README's deb822 entry for non-free, byte for byte, and the same package.
        Match stanza = Regex.Match(readme, @"debian-non-free\.sources <<'EOF'\n(.*?)\nEOF", RegexOptions.Singleline);
        Assert.True(stanza.Success, "the README's MKL section lost its deb822 entry");
        Assert.Equal(stanza.Groups[1].Value, ContainerImage.NonFreeSources.ReplaceLineEndings("\n"));
        Assert.Contains($"/etc/apt/sources.list.d/debian-non-free.sources <<'EOF'\n{stanza.Groups[1].Value}\nEOF\n", dockerfile.ReplaceLineEndings("\n"));
        Assert.Matches(@"apt-get install -y \S*\s*libmkl-rt", readme);
        Assert.Contains($"install -y --no-install-recommends {ContainerImage.MklPackage} ", dockerfile);

        // It publishes the project the README runs, on the Debian the README's entry is for, with the .NET 10 runtime.
        Assert.Contains("dotnet run --project src/Agent", readme);
        Assert.Contains($"RUN {ContainerImage.PublishCommand}", dockerfile);
        Assert.True(File.Exists(Path.Combine(root, "src", "Agent", "Agent.csproj")));
        Assert.Contains("Suites: bookworm", ContainerImage.NonFreeSources);
        Assert.Contains("FROM debian:bookworm-slim", dockerfile);
        Assert.Contains("COPY --from=mcr.microsoft.com/dotnet/runtime:10.0 /usr/share/dotnet /usr/share/dotnet", dockerfile);
        Assert.Contains("COPY configs/ /work/configs/", dockerfile);
        Assert.Contains("ENTRYPOINT [\"dotnet\", \"/app/DqnStudy.Agent.dll\"]", dockerfile);

        // And the README says how to build and run it on a cluster.
        Assert.Contains("sweep k8s", readme);
        Assert.Contains("docker build -f", readme);
        Assert.Contains("kubectl apply -f", readme);
    }

    [Fact]
    public void TheImageCopiesTheSweepsAndConfigsFoldersAndRefusesFilesOutsideTheContext()
    {
        using var files = new SweepFiles();
        Directory.CreateDirectory(Path.Combine(files.Folder, "configs"));
        SweepPlan plan = SweepPlan.Load(files.Write("s", "configs: [tiny.yaml]\n"));
        Assert.Equal(["configs/", "s.yaml", "tiny.yaml"], ContainerImage.FoldersToCopy(plan, files.Folder).Folders);
        var (folders, problem) = ContainerImage.FoldersToCopy(plan, Path.Combine(files.Folder, "configs"));
        Assert.Null(folders);
        Assert.Contains("is outside the build context", problem);
    }

    private static YamlNode Node(YamlNode node, params string[] path)
    {
        foreach (string key in path)
        {
            var map = Assert.IsType<YamlMappingNode>(node);
            Assert.True(map.Children.ContainsKey(key), $"missing key '{key}'");
            node = map.Children[key];
        }
        return node;
    }

    private static string Scalar(YamlNode node, params string[] path) => Assert.IsType<YamlScalarNode>(Node(node, path)).Value!;
}
