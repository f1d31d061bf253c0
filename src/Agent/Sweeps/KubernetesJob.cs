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
    public const int BadInputExitCode = SweepTraining.BadInput;

    public static string JobName(SweepPlan plan)
    {
        string name = "dqnstudy-" + NotDns().Replace(plan.Name.ToLowerInvariant(), "-");
        return name[..Math.Min(name.Length, 52)].Trim('-'); // pods add -<index>-<suffix> to it
    }

    public static string Write(SweepPlan plan, KubernetesOptions options)
    {
        string runsRoot = KubernetesOptions.RunsMount;
        string label = plan.Name[..Math.Min(plan.Name.Length, 63)].TrimEnd('.', '-', '_');
        return $$"""
            # Sweep '{{plan.Name}}' ({{plan.Tasks.Count}} tasks) as a Kubernetes Indexed Job, written by `sweep k8s`.
            # kubectl apply -f THIS_FILE; progress: kubectl get job, or `sweep status` on the runs volume.
            apiVersion: batch/v1
            kind: Job
            metadata:
              name: {{JobName(plan)}}
              labels:
                app.kubernetes.io/name: dqnstudy
                dqnstudy/sweep: {{Q(label)}}
            spec:
              completionMode: Indexed
              completions: {{plan.Tasks.Count}}
              parallelism: {{options.Parallelism}}
              backoffLimitPerIndex: {{options.BackoffLimitPerIndex}}
              podFailurePolicy:
                rules:
                  - action: Ignore            # evicted or preempted: run the task again, it resumes from its checkpoint
                    onPodConditions:
                      - type: DisruptionTarget
                  - action: FailIndex         # bad input: retrying cannot help
                    onExitCodes:
                      containerName: task
                      operator: In
                      values: [{{BadInputExitCode}}]
              template:
                metadata:
                  labels:
                    app.kubernetes.io/name: dqnstudy
                spec:
                  restartPolicy: Never        # required by backoffLimitPerIndex; a new pod takes over the index
                  terminationGracePeriodSeconds: 120   # SIGTERM -> the task saves a checkpoint and exits
                  containers:
                    - name: task
                      image: {{Q(options.Image)}}
                      workingDir: {{KubernetesOptions.WorkFolder}}
                      command: ["dotnet", "/app/DqnStudy.Agent.dll", "sweep", "run", {{Q(options.SweepInImage)}}, "--out", {{Q(runsRoot)}}]
                      env:                    # the task index comes from JOB_COMPLETION_INDEX, set by Kubernetes
                        - { name: MKL_NUM_THREADS, value: "1" }
                        - { name: OMP_NUM_THREADS, value: "1" }
                        - { name: DOTNET_CLI_TELEMETRY_OPTOUT, value: "1" }
                      resources:
                        requests: { cpu: {{Q(options.Cpu)}}, memory: {{Q(options.Memory)}} }
                        limits: { cpu: {{Q(options.Cpu)}}, memory: {{Q(options.Memory)}} }
                      volumeMounts:
                        - name: runs
                          mountPath: {{runsRoot}}
                  volumes:
                    - name: runs
                      persistentVolumeClaim:
                        claimName: {{Q(options.Claim)}}

            """;
    }

    /// <summary>A YAML double-quoted scalar (JSON string syntax is valid YAML).</summary>
    private static string Q(string value) => JsonSerializer.Serialize(value);

    [GeneratedRegex("[^a-z0-9-]+")]
    private static partial Regex NotDns();
}
