using System.Text;

namespace DqnStudy.Agent.Sweeps;

/// <summary>
/// The Dockerfile of the app for a sweep: published with the .NET 10 SDK, run on Debian 12 with the .NET 10 runtime
/// copied from Microsoft's runtime image (Microsoft ships no Debian image for .NET 10) and MKL from Debian's non-free
/// component, installed exactly as the README says. The image holds the sweep file and the config folders it reads,
/// under /work, the tasks' working folder.
/// </summary>
public static class ContainerImage
{
    public const string FileName = "Dockerfile";
    public const string SdkImage = "mcr.microsoft.com/dotnet/sdk:10.0";
    public const string RuntimeImage = "mcr.microsoft.com/dotnet/runtime:10.0";
    public const string BaseImage = "debian:bookworm-slim";
    public const string PublishCommand = "dotnet publish src/Agent -c Release -o /app";

    /// <summary>The README's deb822 entry for Debian 12's non-free component (where libmkl-rt lives).</summary>
    public const string NonFreeSources = """
        Types: deb
        URIs: http://deb.debian.org/debian
        Suites: bookworm bookworm-updates
        Components: non-free
        Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
        """;

    public const string MklPackage = "libmkl-rt";

    /// <summary>What the image must hold for the sweep to load, relative to the build context and '/'-separated:
    /// configs/ and the folders of the sweep file and of every config ("sweeps/"), or the file itself when it lies at
    /// the top of the context ("my-sweep.yaml"). Null with the reason when a file lies outside the build context.</summary>
    public static (IReadOnlyList<string>? Folders, string? Problem) FoldersToCopy(SweepPlan plan, string context)
    {
        var folders = new SortedSet<string>(StringComparer.Ordinal);
        if (Directory.Exists(Path.Combine(context, "configs"))) folders.Add("configs/");
        foreach (string file in plan.Groups.Select(g => g.File.FullPath).Prepend(plan.File.Path))
        {
            string relative = Path.GetRelativePath(context, Path.GetDirectoryName(file)!);
            if (relative == ".." || relative.StartsWith("../", StringComparison.Ordinal) || Path.IsPathRooted(relative))
                return (null, $"{file} is outside the build context {context}: run `sweep k8s` from the folder the image is built from (the repository root), with the sweep and its configs inside it");
            folders.Add(relative == "." ? Path.GetFileName(file) : relative.Replace('\\', '/') + "/");
        }
        return (folders.ToList(), null);
    }

    public static string Write(IReadOnlyList<string> folders)
    {
        var text = new StringBuilder();
        text.AppendLine("# syntax=docker/dockerfile:1");
        text.AppendLine("# DqnStudy for Kubernetes sweeps, written by `sweep k8s`. Build from the repository root:");
        text.AppendLine("#   docker build -f THIS_FILE -t IMAGE .");
        text.AppendLine($"FROM {SdkImage} AS build");
        text.AppendLine("WORKDIR /src");
        text.AppendLine("COPY . .");
        text.AppendLine($"RUN {PublishCommand}");
        text.AppendLine();
        text.AppendLine($"FROM {BaseImage}");
        text.AppendLine("# The .NET 10 runtime, from Microsoft's runtime image (no Debian image is published for .NET 10).");
        text.AppendLine($"COPY --from={RuntimeImage} /usr/share/dotnet /usr/share/dotnet");
        text.AppendLine("RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet");
        text.AppendLine("# MKL from Debian's non-free component, as in the README.");
        text.AppendLine("RUN cat > /etc/apt/sources.list.d/debian-non-free.sources <<'EOF'");
        text.AppendLine(NonFreeSources);
        text.AppendLine("EOF");
        text.AppendLine($"RUN apt-get update && apt-get install -y --no-install-recommends {MklPackage} ca-certificates libstdc++6 zlib1g \\");
        text.AppendLine("    && rm -rf /var/lib/apt/lists/*");
        text.AppendLine("COPY --from=build /app /app");
        text.AppendLine($"WORKDIR {KubernetesOptions.WorkFolder}");
        foreach (string item in folders)
            text.AppendLine($"COPY {item} {KubernetesOptions.WorkFolder}/{item}");
        text.AppendLine("ENV MKL_NUM_THREADS=1 OMP_NUM_THREADS=1 DOTNET_CLI_TELEMETRY_OPTOUT=1");
        text.AppendLine("ENTRYPOINT [\"dotnet\", \"/app/DqnStudy.Agent.dll\"]");
        return text.ToString();
    }
}
