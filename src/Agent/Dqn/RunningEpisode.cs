using DqnStudy.Environments;

namespace DqnStudy.Agent.Dqn;

/// <summary>
/// The training episode in progress as a checkpoint keeps it: the seed it was reset with and the actions taken so
/// far. No environment can be saved, but every one is deterministic given its reset seed and actions, so a resume
/// rebuilds the interrupted episode by replaying them. Its return and length are the environment's
/// (<see cref="EpisodeStatistics"/>); the return is saved too, to check the replay against.
/// </summary>
public sealed class RunningEpisode
{
    private int[] _actions = new int[1024];

    public int Seed { get; private set; }
    public int Length { get; private set; }

    public void Begin(int seed)
    {
        Seed = seed;
        Length = 0;
    }

    public void Add(int action)
    {
        if (Length == _actions.Length) Array.Resize(ref _actions, _actions.Length * 2);
        _actions[Length++] = action;
    }

    public void Save(BinaryWriter writer, double episodeReturn)
    {
        writer.Write(Seed);
        writer.Write(Length);
        for (int i = 0; i < Length; i++) writer.Write(_actions[i]);
        writer.Write(episodeReturn);
    }

    /// <summary>Reads what <see cref="Save"/> wrote at env step `step`; returns the saved return.</summary>
    public double Load(BinaryReader reader, string path, long step)
    {
        Seed = reader.ReadInt32();
        int length = reader.ReadInt32();
        if (length < 0 || length > step || (long)length * 4 > reader.BaseStream.Length)
            throw new InvalidDataException($"{path}: episode length {length} is impossible at step {step}.");
        _actions = new int[Math.Max(1024, length)];
        for (int i = 0; i < length; i++) _actions[i] = reader.ReadInt32();
        Length = length;
        return reader.ReadDouble();
    }

    /// <summary>Resets `environment` with the seed and takes the actions again, leaving the episode's current
    /// observation in `observation`; the replayed return must be `savedReturn`.</summary>
    public void Replay(EpisodeStatistics environment, Span<float> observation, double savedReturn, string path)
    {
        environment.Reset(Seed).CopyTo(observation);
        for (int i = 0; i < Length; i++)
        {
            var result = environment.Step(_actions[i]);
            if ((result.Terminated || result.Truncated) && i != Length - 1)
                throw new InvalidDataException($"{path}: replaying the interrupted episode ended it early (step {i + 1} of {Length}); the environment differs from the one that wrote the checkpoint.");
            result.Observation.CopyTo(observation);
        }
        if (environment.CurrentReturn != savedReturn)
            throw new InvalidDataException($"{path}: replaying the interrupted episode gave return {environment.CurrentReturn:R}, the checkpoint says {savedReturn:R}; the environment differs from the one that wrote the checkpoint.");
    }
}
