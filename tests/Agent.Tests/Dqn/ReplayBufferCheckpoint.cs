using DqnStudy.Agent.Dqn;

namespace DqnStudy.Agent.Tests.Dqn;

/// <summary>Saving a replay buffer to memory and loading it back, for the replay-buffer checkpoint tests.</summary>
internal static class ReplayBufferCheckpoint
{
    /// <summary>The buffer saved into a memory stream, rewound to its start.</summary>
    public static MemoryStream Save(ReplayBuffer buffer)
    {
        var stream = new MemoryStream();
        buffer.Save(new BinaryWriter(stream));
        stream.Position = 0;
        return stream;
    }

    /// <summary>Saves <paramref name="buffer"/> and loads the bytes into <paramref name="into"/>, which it returns.</summary>
    public static ReplayBuffer RoundTrip(ReplayBuffer buffer, ReplayBuffer into)
    {
        using var stream = Save(buffer);
        into.Load(new BinaryReader(stream));
        return into;
    }
}
