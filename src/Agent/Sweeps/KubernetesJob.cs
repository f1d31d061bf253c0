using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace DqnStudy.Agent.Sweeps;

/// <summary>
/// The Kubernetes Indexed Job of a sweep: completions = tasks, each pod runs `sweep run` on the task
/// <c>$JOB_COMPLETION_INDEX</c> names, one CPU and one BLAS thread, runs/ on a shared volume. A pod evicted or preempted
/// (the DisruptionTarget condition) is retried without counting against the task's retries and resumes from its
/// checkpoint; bad input (exit 2) fails the task at once instead of retrying it.
/// </summary>
public static partial class KubernetesJob
{
    public const int BadInputExitCode = 2;

    public static string JobName(SweepPlan plan)
    {
        string name = "dqnstudy-" + NotDns().Replace(plan.Name.ToLowerInvariant(), "-");
        return name[..Math.Min(name.Length, 52)].Trim('-'); // pods add -<index>-<suffix> to it
    }

    public static string Write(SweepPlan plan, KubernetesOptions options)
    {
        string runsRoot = KubernetesOptions.RunsMount;
        var text = new StringBuilder();
        text.AppendLine($"# Sweep '{plan.Name}' ({plan.Tasks.Count} tasks) as a Kubernetes Indexed Job, written by `sweep k8s`.");
        text.AppendLine("# kubectl apply -f THIS_FILE; progress: kubectl get job, or `sweep status` on the runs volume.");
        text.AppendLine("apiVersion: batch/v1");
        text.AppendLine("kind: Job");
        text.AppendLine("metadata:");
        text.AppendLine($"  name: {JobName(plan)}");
        text.AppendLine("  labels:");
        text.AppendLine("    app.kubernetes.io/name: dqnstudy");
        text.AppendLine($"    dqnstudy/sweep: {Q(plan.Name[..Math.Min(plan.Name.Length, 63)].TrimEnd('.', '-', '_'))}");
        text.AppendLine("spec:");
        text.AppendLine("  completionMode: Indexed");
        text.AppendLine($"  completions: {plan.Tasks.Count}");
        text.AppendLine($"  parallelism: {options.Parallelism}");
        text.AppendLine($"  backoffLimitPerIndex: {options.BackoffLimitPerIndex}");
        text.AppendLine("  podFailurePolicy:");
        text.AppendLine("    rules:");
        text.AppendLine("      - action: Ignore            # evicted or preempted: run the task again, it resumes from its checkpoint");
        text.AppendLine("        onPodConditions:");
        text.AppendLine("          - type: DisruptionTarget");
        text.AppendLine("      - action: FailIndex         # bad input: retrying cannot help");
        text.AppendLine("        onExitCodes:");
        text.AppendLine("          containerName: task");
        text.AppendLine("          operator: In");
        text.AppendLine($"          values: [{BadInputExitCode}]");
        text.AppendLine("  template:");
        text.AppendLine("    metadata:");
        text.AppendLine("      labels:");
        text.AppendLine("        app.kubernetes.io/name: dqnstudy");
        text.AppendLine("    spec:");
        text.AppendLine("      restartPolicy: Never        # required by backoffLimitPerIndex; a new pod takes over the index");
        text.AppendLine("      terminationGracePeriodSeconds: 120   # SIGTERM -> the task saves a checkpoint and exits");
        text.AppendLine("      containers:");
        text.AppendLine("        - name: task");
        text.AppendLine($"          image: {Q(options.Image)}");
        text.AppendLine($"          workingDir: {KubernetesOptions.WorkFolder}");
        text.AppendLine($"          command: [\"dotnet\", \"/app/DqnStudy.Agent.dll\", \"sweep\", \"run\", {Q(options.SweepInImage)}, \"--out\", {Q(runsRoot)}]");
        text.AppendLine("          env:                    # the task index comes from JOB_COMPLETION_INDEX, set by Kubernetes");
        text.AppendLine("            - { name: MKL_NUM_THREADS, value: \"1\" }");
        text.AppendLine("            - { name: OMP_NUM_THREADS, value: \"1\" }");
        text.AppendLine("            - { name: DOTNET_CLI_TELEMETRY_OPTOUT, value: \"1\" }");
        text.AppendLine("          resources:");
        text.AppendLine($"            requests: {{ cpu: {Q(options.Cpu)}, memory: {Q(options.Memory)} }}");
        text.AppendLine($"            limits: {{ cpu: {Q(options.Cpu)}, memory: {Q(options.Memory)} }}");
        text.AppendLine("          volumeMounts:");
        text.AppendLine("            - name: runs");
        text.AppendLine($"              mountPath: {runsRoot}");
        text.AppendLine("      volumes:");
        text.AppendLine("        - name: runs");
        text.AppendLine("          persistentVolumeClaim:");
        text.AppendLine($"            claimName: {Q(options.Claim)}");
        return text.ToString();
    }

    /// <summary>A YAML double-quoted scalar (JSON string syntax is valid YAML).</summary>
    private static string Q(string value) => JsonSerializer.Serialize(value);

    [GeneratedRegex("[^a-z0-9-]+")]
    private static partial Regex NotDns();
}
