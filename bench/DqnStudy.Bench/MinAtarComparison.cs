using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using DqnStudy.Environments;
using DqnStudy.Environments.MinAtar;

namespace DqnStudy.Bench;

/// <summary><c>--minatar PACKAGE_DIR [PYTHON]</c>: µs per step and bytes allocated for each MinAtar game here, against
/// MinAtar's own Python step measured in the same run (bench/minatar_python_step.py on the package in PACKAGE_DIR).
/// Both sides play the same games: seed 0, sticky 0.1, ramping on, actions RandomState(1).randint(6, size=N), reset
/// on terminal, a warm-up run then R timed runs of act() and R of act() + state(), the best run counted on both sides (a
/// shared machine only adds noise); their reward and episode totals must agree, which the table shows.</summary>
public static class MinAtarComparison
{
    private const int Steps = 20_000;
    private const int Repeats = 5;

    public static int Run(string packageDir, string python)
    {
        if (!Directory.Exists(Path.Combine(packageDir, "minatar")))
        {
            Console.Error.WriteLine($"error: '{packageDir}' holds no 'minatar' package folder (give the folder that contains minatar/).");
            return 2;
        }

        string script = FindScript();
        Console.WriteLine($"CPU: {CpuName()}; {Environment.ProcessorCount} logical cores; .NET {Environment.Version}; python {python}");
        Console.WriteLine($"{Steps} steps x {Repeats} runs per game, best run (both sides); random actions over all 6; sticky 0.1; ramping on");
        Console.WriteLine();
        Console.WriteLine("| game | C# Act µs | C# Step µs | C# B/step | Python act µs | Python act+state µs | Step speed-up vs act+state | rewards C#/Py | episodes C#/Py |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
        foreach (string game in MinAtarGames.Names)
        {
            JsonElement py;
            try
            {
                py = RunPython(python, script, packageDir, game);
            }
            catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or JsonException)
            {
                Console.Error.WriteLine($"error: MinAtar's Python step could not be measured for {game}: {e.Message}");
                return 1;
            }

            (double act, double step, double bytes, long reward, long episodes) = RunDotnet(game);
            double pyActState = py.GetProperty("act_state_us").GetDouble();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {game} | {act:F3} | {step:F3} | {bytes:F1} | {py.GetProperty("act_us").GetDouble():F2} | {pyActState:F2} | " +
                $"{pyActState / step:F0}x | {reward}/{py.GetProperty("reward").GetInt64()} | {episodes}/{py.GetProperty("episodes").GetInt64()} |"));
        }

        return 0;
    }

    private static (double Act, double Step, double BytesPerStep, long Reward, long Episodes) RunDotnet(string game)
    {
        long[] actions = new long[Steps];
        new NumpyRandomState(1).RandInt(0, 6, actions);
        var totals = new long[2]; // reward, episodes

        // Tiered compilation promotes the step's callees only after a while (longer on a loaded machine): warm a
        // throwaway instance for a second, so the timed one still plays exactly Python's games.
        var spare = new MinAtarEnvironment(MinAtarGames.Create(game), MinAtarGames.Id(game, false), minimalActionSet: false, 0.1);
        spare.Reset(0);
        for (long start = Stopwatch.GetTimestamp(); Stopwatch.GetElapsedTime(start).TotalSeconds < 1;)
        {
            Timed(spare, actions, withState: false, new long[2]);
            Timed(spare, actions, withState: true, new long[2]);
        }

        var env = new MinAtarEnvironment(MinAtarGames.Create(game), MinAtarGames.Id(game, false), minimalActionSet: false, 0.1);
        env.Reset(0);

        // Every run replays the same actions on the continuing game, so the order of act and step runs does not
        // change what is played: interleaving them spreads the machine's load over both.
        Timed(env, actions, withState: true, totals); // warm up (Python's warm-up run plays the same)
        var act = new double[Repeats];
        var step = new double[Repeats];
        long stepBytes = 0;
        for (int i = 0; i < Repeats; i++)
        {
            act[i] = Timed(env, actions, withState: false, totals);
            long before = GC.GetAllocatedBytesForCurrentThread();
            step[i] = Timed(env, actions, withState: true, totals);
            stepBytes += GC.GetAllocatedBytesForCurrentThread() - before;
        }

        return (act.Min(), step.Min(), (double)stepBytes / (Repeats * Steps), totals[0], totals[1]);
    }

    /// <summary>µs per step over the actions: <see cref="MinAtarEnvironment.Act"/> alone, or <see cref="IEnvironment.Step"/>
    /// (act and the observation); resets on terminal; adds the reward and episodes to totals.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double Timed(MinAtarEnvironment env, long[] actions, bool withState, long[] totals)
    {
        long reward = 0, episodes = 0;
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < actions.Length; i++)
        {
            int r;
            bool terminal;
            if (withState)
            {
                StepResult result = env.Step((int)actions[i]);
                (r, terminal) = ((int)result.Reward, result.Terminated);
            }
            else
            {
                (r, terminal) = env.Act((int)actions[i]);
            }

            reward += r;
            if (terminal)
            {
                env.Reset();
                episodes++;
            }
        }

        double microseconds = Stopwatch.GetElapsedTime(start).TotalMicroseconds / actions.Length;
        totals[0] += reward;
        totals[1] += episodes;
        return microseconds;
    }

    private static JsonElement RunPython(string python, string script, string packageDir, string game)
    {
        var start = new ProcessStartInfo(python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[] { script, packageDir, "--steps", Steps.ToString(CultureInfo.InvariantCulture), "--repeats", Repeats.ToString(CultureInfo.InvariantCulture), "--games", game })
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {python}");
        Task<string> error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{python} {script} failed ({process.ExitCode}): {error.Result}");
        }

        return JsonDocument.Parse(output.Trim()).RootElement.Clone();
    }

    private static string FindScript()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "bench", "minatar_python_step.py");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("bench/minatar_python_step.py not found above " + AppContext.BaseDirectory);
    }

    private static string CpuName()
    {
        const string cpuInfo = "/proc/cpuinfo";
        string? line = File.Exists(cpuInfo) ? File.ReadLines(cpuInfo).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal)) : null;
        return line is null ? "unknown" : line[(line.IndexOf(':') + 1)..].Trim();
    }
}
