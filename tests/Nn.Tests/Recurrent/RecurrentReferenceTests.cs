using DqnStudy.Nn.Blas;
using DqnStudy.Nn.Tests.Blas;
using DqnStudy.Nn.Tests.ReferenceVectors;
using Xunit.Abstractions;

namespace DqnStudy.Nn.Tests.Recurrent;

/// <summary>Runs the rnn/lstm runners over every case on every provider, standalone from the shared harness.</summary>
public sealed class RecurrentReferenceTests(ITestOutputHelper output)
{
    public static TheoryData<string> Kinds() => new() { "rnn", "lstm" };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void EveryCaseMatchesTorch(string kind)
    {
        IReferenceCaseRunner runner = kind == "rnn" ? new RnnReferenceRunner() : new LstmReferenceRunner();
        Assert.Equal(kind, runner.Kind);
        int ran = 0;
        var cases = RecurrentReference.Cases(kind);
        foreach (IBlas blas in TestProviders.All())
        {
            foreach (var c in cases)
            {
                double worst = runner.Run(c, blas);
                output.WriteLine($"{TestProviders.Label(blas),-12} {RecurrentReference.Name(c),-34} max |diff| {worst:E2}");
                ran++;
            }
        }
        Assert.True(cases.Count > 0, $"{kind}.json holds no cases.");
        Assert.Equal(cases.Count * TestProviders.All().Count(), ran);
    }
}
