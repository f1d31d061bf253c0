namespace DqnStudy.Agent.Sweeps;

/// <summary>How `sweep k8s` shapes the Indexed Job.</summary>
/// <param name="Image">The image built from the written Dockerfile and pushed where the cluster pulls from.</param>
/// <param name="Parallelism">Pods running at once.</param>
/// <param name="BackoffLimitPerIndex">Retries of one task after a failure (a preempted or evicted pod is not counted).</param>
/// <param name="Claim">The PersistentVolumeClaim holding runs/ (ReadWriteMany when pods land on several nodes).</param>
/// <param name="SweepInImage">The sweep file's path inside the image, relative to its working folder.</param>
public sealed record KubernetesOptions(
    string Image,
    string SweepInImage,
    int Parallelism = 4,
    int BackoffLimitPerIndex = 3,
    string Claim = "dqnstudy-runs",
    string Cpu = "1",
    string Memory = "1Gi")
{
    /// <summary>The image's working folder: configs/ and the sweep's folder are copied under it.</summary>
    public const string WorkFolder = "/work";

    /// <summary>Where the runs volume is mounted; tasks write &lt;RunsMount&gt;/&lt;sweep&gt;/&lt;group&gt;/seed-&lt;n&gt;.</summary>
    public const string RunsMount = "/work/runs";
}
