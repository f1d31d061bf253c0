using BenchmarkDotNet.Attributes;
using DqnStudy.Nn.Blas;

namespace DqnStudy.Bench;

/// <summary>
/// The 11 GEMMs of one DQN update at batch 128 with the Q-network 4→120→84→2 (cleanrl's CartPole recipe), per
/// provider: target forward (3), online forward (the same 3 shapes), backward dW for 3 layers and dx for 2
/// (nobody needs the gradient of the observation). <see cref="AllElevenOfOneUpdate"/> is the "floor" an update
/// cannot beat; each per-shape benchmark is one call, named layer_kind_MxNxK.
/// Run: dotnet run -c Release --project bench/DqnStudy.Bench -- --filter '*Gemm*' --job short
/// </summary>
[MemoryDiagnoser]
public class GemmBenchmarks
{
    private const int Batch = 128;
    private static readonly int[] Widths = [4, 120, 84, 2];

    private IBlas blas = null!;
    private float[][] activations = null!; // activations[l]: (Batch, Widths[l])
    private float[][] weights = null!;     // weights[l]: (Widths[l+1], Widths[l]), as torch nn.Linear
    private float[][] outputs = null!;     // outputs[l]: (Batch, Widths[l+1]); dy shares the shape
    private float[][] weightGrads = null!; // like weights
    private float[][] inputGrads = null!;  // like activations

    [Params("managed", "mkl")]
    public string Provider { get; set; } = "managed";

    [GlobalSetup]
    public void Setup()
    {
        // Explicit, so that DQNSTUDY_BLAS cannot silently turn the "mkl" column into managed.
        blas = Provider == "mkl" ? MklBlas.Create(threads: 1, reproducible: true) : new ManagedBlas();
        var random = new Random(1);
        float[] Fill(int length)
        {
            var data = new float[length];
            for (int i = 0; i < length; i++) data[i] = (float)(random.NextDouble() * 2 - 1);
            return data;
        }
        activations = [.. Enumerable.Range(0, 4).Select(l => Fill(Batch * Widths[l]))];
        weights = [.. Enumerable.Range(0, 3).Select(l => Fill(Widths[l + 1] * Widths[l]))];
        outputs = [.. Enumerable.Range(0, 3).Select(l => Fill(Batch * Widths[l + 1]))];
        weightGrads = [.. Enumerable.Range(0, 3).Select(l => Fill(Widths[l + 1] * Widths[l]))];
        inputGrads = [.. Enumerable.Range(0, 3).Select(l => Fill(Batch * Widths[l]))];
    }

    // y = x·wᵀ: (B,in)·(out,in)ᵀ
    private void Forward(int layer) =>
        blas.Gemm(Trans.No, Trans.Yes, Batch, Widths[layer + 1], Widths[layer], 1f,
                  activations[layer], weights[layer], 0f, outputs[layer]);

    // dw += dyᵀ·x: (B,out)ᵀ·(B,in)
    private void WeightGrad(int layer) =>
        blas.Gemm(Trans.Yes, Trans.No, Widths[layer + 1], Widths[layer], Batch, 1f,
                  outputs[layer], activations[layer], 1f, weightGrads[layer]);

    // dx += dy·w: (B,out)·(out,in)
    private void InputGrad(int layer) =>
        blas.Gemm(Trans.No, Trans.No, Batch, Widths[layer], Widths[layer + 1], 1f,
                  outputs[layer], weights[layer], 1f, inputGrads[layer]);

    [Benchmark] public void L1_Forward_128x120x4() => Forward(0);
    [Benchmark] public void L2_Forward_128x84x120() => Forward(1);
    [Benchmark] public void L3_Forward_128x2x84() => Forward(2);
    [Benchmark] public void L3_WeightGrad_2x84x128() => WeightGrad(2);
    [Benchmark] public void L2_WeightGrad_84x120x128() => WeightGrad(1);
    [Benchmark] public void L1_WeightGrad_120x4x128() => WeightGrad(0);
    [Benchmark] public void L3_InputGrad_128x84x2() => InputGrad(2);
    [Benchmark] public void L2_InputGrad_128x120x84() => InputGrad(1);

    /// <summary>Target forward, online forward, backward: the sum of one update's GEMMs.</summary>
    [Benchmark]
    public void AllElevenOfOneUpdate()
    {
        for (int pass = 0; pass < 2; pass++)
        {
            Forward(0);
            Forward(1);
            Forward(2);
        }
        WeightGrad(2);
        InputGrad(2);
        WeightGrad(1);
        InputGrad(1);
        WeightGrad(0);
    }
}
