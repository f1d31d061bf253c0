using DqnStudy.Agent.Runs;

namespace DqnStudy.Agent.Sweeps;

public enum TaskState
{
    /// <summary>The seed's summary says completed.</summary>
    Done,
    /// <summary>A process holds the seed folder's lock now.</summary>
    Running,
    /// <summary>Stopped before the end (Ctrl+C, SIGTERM, preemption, a killed process): rerunning the task resumes it.</summary>
    Interrupted,
    /// <summary>The seed's summary says failed (e.g. a NaN); the reason is in its summary.json.</summary>
    Failed,
    /// <summary>No run folder yet (or one holding nothing but a lock file).</summary>
    Missing,
}

/// <summary>What a task's run folder says, read from the folder alone: a shared filesystem is the only coordination
/// between the tasks, whichever engine ran them.</summary>
public sealed record TaskStatus(SweepTask Task, TaskState State, long StepsDone, long TotalSteps, string? Failure)
{
    public static TaskStatus Read(SweepTask task, string seedFolder)
    {
        if (RunSummary.TryRead(seedFolder) is not { } summary)
            return new TaskStatus(task, TaskState.Missing, 0, task.Group.Config.Training.TotalSteps, null);
        TaskState state = summary.Status switch
        {
            "completed" => TaskState.Done,
            "failed" => TaskState.Failed,
            _ => IsLocked(seedFolder) ? TaskState.Running : TaskState.Interrupted, // "running" with no live writer: it was killed
        };
        return new TaskStatus(task, state, summary.StepsDone, summary.TotalSteps, summary.Failure);
    }

    /// <summary>Whether a training process holds the folder's lock (an advisory lock the kernel drops with the
    /// process, so a killed task never looks alive). The probe opens the existing lock file and writes nothing.</summary>
    private static bool IsLocked(string seedFolder)
    {
        string path = Path.Combine(seedFolder, RunFolder.Lock);
        try
        {
            using var probe = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None);
            return false;
        }
        catch (FileNotFoundException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
