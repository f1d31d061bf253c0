using DqnStudy.Agent.Seeding;

namespace DqnStudy.Agent.Tests.Seeding;

public sealed class RngTests
{
    [Fact]
    public void SavedStateContinuesTheSameStream()
    {
        var rng = new Rng(42);
        for (int i = 0; i < 10; i++) rng.NextUInt64();
        using var stream = new MemoryStream();
        rng.Save(new BinaryWriter(stream));
        var expected = Enumerable.Range(0, 5).Select(_ => rng.NextUInt64()).ToArray();

        stream.Position = 0;
        var restored = new Rng(0);
        restored.Load(new BinaryReader(stream));
        Assert.Equal(expected, Enumerable.Range(0, 5).Select(_ => restored.NextUInt64()).ToArray());
    }

    [Fact]
    public void NextIntIsUniformEnough()
    {
        var rng = new Rng(7);
        var counts = new int[3];
        for (int i = 0; i < 30_000; i++) counts[rng.NextInt(3)]++;
        Assert.All(counts, c => Assert.InRange(c, 9_500, 10_500));
    }
}
