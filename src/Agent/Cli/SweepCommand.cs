using System.CommandLine;
using DqnStudy.Agent.Config;
using DqnStudy.Agent.Sweeps;

namespace DqnStudy.Agent.Cli;

/// <summary>`sweep plan|run|slurm|k8s|status FILE`: a thin shell over <see cref="Sweeps"/>.</summary>
public static class SweepCommand
{
    private const int BadInput = SweepTraining.BadInput;

    public static Command Create()
    {
        var command = new Command("sweep", "A grid of configs × overrides × seeds as numbered tasks: plan them, run one (or all here), "
                                           + "write a Slurm job array or a Kubernetes Indexed Job for them, and see which are done.");
        command.Subcommands.Add(Plan());
        command.Subcommands.Add(Run());
        command.Subcommands.Add(Slurm());
        command.Subcommands.Add(Kubernetes());
        command.Subcommands.Add(Status());
        return command;
    }

    private static Argument<string> FileArgument() => new("file") { Description = "The sweep file (YAML: name, configs, grid, seeds, set)" };

    private static Option<string> OutOption() => new("--out")
    { Description = "Runs root: tasks write <out>/<sweep name>/<group>/seed-<n>", DefaultValueFactory = _ => "runs" };

    private static Command Plan()
    {
        var file = FileArgument();
        var output = OutOption();
        var command = new Command("plan", "Print the sweep's tasks, numbered as `sweep run --task` takes them") { file, output };
        command.SetAction(parse => WithPlan(parse.GetValue(file)!, plan =>
        {
            string root = plan.Root(parse.GetValue(output)!);
            Console.WriteLine($"sweep {plan.Name}: {plan.Tasks.Count} tasks ({plan.Groups.Count} groups) -> {root}");
            foreach (SweepTask task in plan.Tasks)
                Console.WriteLine($"  {task.Index,5}  {task.Group.Name}/seed-{task.Seed}  ({SweepRunner.Describe(task)})");
            Console.WriteLine($"{plan.Tasks.Count} tasks");
            return Task.FromResult(0);
        }));
        return command;
    }

    private static Command Run()
    {
        var file = FileArgument();
        var output = OutOption();
        var task = new Option<int?>("--task")
        { Description = $"The task to run [default: {string.Join(" or ", SweepRunner.TaskIndexVariables)}]" };
        var local = new Option<bool>("--local") { Description = "Run every task on this machine" };
        var parallel = new Option<int>("--parallel")
        { Description = "With --local: seeds trained at once", DefaultValueFactory = _ => Environment.ProcessorCount };
        var command = new Command("run", "Run one task (idempotent: a done seed is skipped, an interrupted one resumes), or with --local all of them")
        {
            file, output, task, local, parallel,
        };
        command.SetAction((parse, cancel) => WithPlan(parse.GetValue(file)!, async plan =>
        {
            string outRoot = parse.GetValue(output)!;
            if (parse.GetValue(local))
            {
                if (parse.GetValue(task) is not null) return Fail("--local runs every task; leave out --task.");
                if (parse.GetValue(parallel) < 1) return Fail($"--parallel must be at least 1, not {parse.GetValue(parallel)}.");
                return await SweepRunner.RunLocalAsync(plan, outRoot, parse.GetValue(parallel), Console.Out);
            }
            int? index = parse.GetValue(task);
            if (index is null)
            {
                (index, string? problem) = SweepRunner.TaskFromEnvironment(Environment.GetEnvironmentVariable);
                if (problem is not null) return Fail(problem + ".");
                if (index is null)
                    return Fail($"which task? Give --task I (0..{plan.Tasks.Count - 1}), run inside a Slurm array or a Kubernetes Indexed Job, or use --local.");
            }
            return await SweepRunner.RunTaskAsync(plan, index.Value, outRoot, Console.Out);
        }));
        return command;
    }

    private static Command Slurm()
    {
        var file = FileArgument();
        var output = OutOption();
        var throttle = new Option<int>("--throttle") { Description = "Array tasks running at once (%N)", DefaultValueFactory = _ => 8 };
        var partition = new Option<string?>("--partition") { Description = "Slurm partition" };
        var account = new Option<string?>("--account") { Description = "Slurm account" };
        var time = new Option<string?>("--time") { Description = "Time limit per task, e.g. 04:00:00 (SIGTERM and a checkpoint 120 s before)" };
        var memory = new Option<string?>("--mem") { Description = "Memory per task, e.g. 2G" };
        var app = new Option<string?>("--app") { Description = "Command that starts DqnStudy on the nodes [default: this one]" };
        var script = new Option<string?>("--script") { Description = $"Where to write the script [default: <out>/<sweep>/{SlurmScript.FileName}]" };
        var submit = new Option<bool>("--submit") { Description = "Submit it with sbatch" };
        var tasks = new Option<string?>("--tasks") { Description = "With --submit: only these tasks, e.g. 3,7-9 (as `sweep status` lists them)" };
        var command = new Command("slurm", "Write the sweep's Slurm job-array script (and with --submit, sbatch it)")
        {
            file, output, throttle, partition, account, time, memory, app, script, submit, tasks,
        };
        command.SetAction(parse => WithPlan(parse.GetValue(file)!, plan =>
        {
            if (parse.GetValue(throttle) < 1) return Task.FromResult(Fail($"--throttle must be at least 1, not {parse.GetValue(throttle)}."));
            string? only = parse.GetValue(tasks);
            if (only is not null && !System.Text.RegularExpressions.Regex.IsMatch(only, @"^\d+(-\d+)?(,\d+(-\d+)?)*$"))
                return Task.FromResult(Fail($"--tasks '{only}': expected indices and ranges such as 3,7-9."));
            var options = new SlurmOptions(Path.GetFullPath(parse.GetValue(output)!), parse.GetValue(app) ?? AppCommand.Current(),
                                           Directory.GetCurrentDirectory(), parse.GetValue(throttle), parse.GetValue(partition),
                                           parse.GetValue(time), parse.GetValue(memory), parse.GetValue(account));
            string path = Path.GetFullPath(parse.GetValue(script) ?? Path.Combine(plan.Root(options.OutRoot), SlurmScript.FileName));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            Directory.CreateDirectory(SlurmScript.LogsFolder(plan, options)); // sbatch does not create the log folder
            Logging.AtomicFile.WriteAllText(path, SlurmScript.Write(plan, options));
            Console.WriteLine($"sweep {plan.Name}: {plan.Tasks.Count} tasks as a job array -> {path}");
            if (!parse.GetValue(submit))
            {
                Console.WriteLine($"Submit with: sbatch {SlurmScript.Quote(path)}");
                return Task.FromResult(0);
            }
            (string? jobId, string? problem) = SlurmSubmitter.Submit(path, only is null ? null : $"{only}%{options.Throttle}");
            if (jobId is null) return Task.FromResult(Fail(problem!));
            Console.WriteLine($"Submitted job {jobId}. Watch: squeue -j {jobId}; progress: sweep status {parse.GetValue(file)}");
            return Task.FromResult(0);
        }));
        return command;
    }

    private static Command Kubernetes()
    {
        var file = FileArgument();
        var output = OutOption();
        var image = new Option<string>("--image") { Description = "Image the cluster pulls (build it from the written Dockerfile)", DefaultValueFactory = _ => "dqnstudy:latest" };
        var parallelism = new Option<int>("--parallelism") { Description = "Pods running at once", DefaultValueFactory = _ => 4 };
        var backoff = new Option<int>("--backoff-limit-per-index") { Description = "Retries of one task after a failure", DefaultValueFactory = _ => 3 };
        var claim = new Option<string>("--claim") { Description = "PersistentVolumeClaim for runs/ (ReadWriteMany)", DefaultValueFactory = _ => "dqnstudy-runs" };
        var cpu = new Option<string>("--cpu") { Description = "CPU per pod", DefaultValueFactory = _ => "1" };
        var memory = new Option<string>("--memory") { Description = "Memory per pod", DefaultValueFactory = _ => "1Gi" };
        var folder = new Option<string?>("--dir") { Description = "Where to write job.yaml and Dockerfile [default: <out>/<sweep>/k8s]" };
        var command = new Command("k8s", "Write the sweep's Kubernetes Indexed Job (job.yaml) and the app's Dockerfile; run from the repository root")
        {
            file, output, image, parallelism, backoff, claim, cpu, memory, folder,
        };
        command.SetAction(parse => WithPlan(parse.GetValue(file)!, plan =>
        {
            if (parse.GetValue(parallelism) < 1) return Task.FromResult(Fail($"--parallelism must be at least 1, not {parse.GetValue(parallelism)}."));
            if (parse.GetValue(backoff) < 0) return Task.FromResult(Fail($"--backoff-limit-per-index must be 0 or more, not {parse.GetValue(backoff)}."));
            string context = Directory.GetCurrentDirectory();
            (IReadOnlyList<string>? copies, string? problem) = ContainerImage.FoldersToCopy(plan, context);
            if (copies is null) return Task.FromResult(Fail(problem!));
            string sweepInImage = Path.GetRelativePath(context, plan.File.Path).Replace('\\', '/');
            var options = new KubernetesOptions(parse.GetValue(image)!, sweepInImage, parse.GetValue(parallelism), parse.GetValue(backoff),
                                                parse.GetValue(claim)!, parse.GetValue(cpu)!, parse.GetValue(memory)!);
            string dir = Path.GetFullPath(parse.GetValue(folder) ?? Path.Combine(plan.Root(parse.GetValue(output)!), "k8s"));
            Directory.CreateDirectory(dir);
            string job = Path.Combine(dir, "job.yaml"), dockerfile = Path.Combine(dir, ContainerImage.FileName);
            Logging.AtomicFile.WriteAllText(job, KubernetesJob.Write(plan, options));
            Logging.AtomicFile.WriteAllText(dockerfile, ContainerImage.Write(copies));
            Console.WriteLine($"sweep {plan.Name}: {plan.Tasks.Count} tasks as an Indexed Job -> {job}");
            Console.WriteLine($"Build and push: docker build -f {SlurmScript.Quote(Path.GetRelativePath(context, dockerfile))} -t {options.Image} . && docker push {options.Image}");
            Console.WriteLine($"Run: kubectl apply -f {SlurmScript.Quote(Path.GetRelativePath(context, job))}   (needs the PersistentVolumeClaim '{options.Claim}')");
            return Task.FromResult(0);
        }));
        return command;
    }

    private static Command Status()
    {
        var file = FileArgument();
        var output = OutOption();
        var command = new Command("status", "Which tasks are done, running, interrupted, failed or missing, from the run folders alone (exit 0 = all done)")
        {
            file, output,
        };
        command.SetAction(parse => WithPlan(parse.GetValue(file)!, plan =>
        {
            string outRoot = parse.GetValue(output)!;
            return Task.FromResult(SweepStatus.Write(plan, outRoot, SweepStatus.Read(plan, outRoot), Console.Out));
        }));
        return command;
    }

    /// <summary>Loads and expands the sweep file; a bad one is reported (file, line, key) with exit 2.</summary>
    private static async Task<int> WithPlan(string file, Func<SweepPlan, Task<int>> action)
    {
        SweepPlan plan;
        try
        {
            plan = SweepPlan.Load(file);
        }
        catch (ConfigException e)
        {
            Console.Error.WriteLine(e.Message);
            return BadInput;
        }
        return await action(plan);
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        return BadInput;
    }
}
