namespace DqnStudy.Agent.Seeding;

/// <summary>
/// Every episode starts from Reset(seed) with a seed derived from the run's seed and the episode's
/// index, instead of continuing one environment stream. Two things follow: a run is reproducible
/// from (seed, episode) alone, and resuming needs no environment RNG state — the interrupted
/// episode is rebuilt by resetting with its seed and replaying its actions.
/// </summary>
public static class Seeds
{
    public static int TrainEpisode(int runSeed, long episode) => Mix(runSeed, episode, 0x5452414Eu);

    public static int EvalEpisode(int runSeed, long evaluation, int episode) =>
        Mix(runSeed, evaluation * 1_000_003L + episode, 0x4556414Cu);

    public static ulong Agent(int runSeed) => (ulong)(uint)runSeed * 0x9E3779B97F4A7C15UL + 0xA6E47ul;

    private static int Mix(int runSeed, long index, uint salt)
    {
        ulong z = ((ulong)(uint)runSeed << 32 | salt) ^ (ulong)index * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (int)(z & 0x7FFFFFFF);
    }
}
