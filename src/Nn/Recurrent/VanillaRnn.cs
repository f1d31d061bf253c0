using System.Numerics.Tensors;
using DqnStudy.Nn.Blas;
using DqnStudy.Nn.Kernels;

namespace DqnStudy.Nn.Recurrent;

/// <summary>
/// torch.nn.RNN(nonlinearity: tanh, num_layers: 1, bias: true) unrolled over T steps for a batch, with
/// backprop through time. h_t = tanh(x_t·W_ihᵀ + b_ih + h_{t-1}·W_hhᵀ + b_hh).
/// Every buffer is sized for maxSteps × maxBatch up front: Forward and Backward never allocate.
/// Gradients accumulate across Backward calls; call ZeroGrad once per optimiser step.
/// </summary>
public sealed class VanillaRnn
{
    private const int CheckpointKind = 1;

    private readonly IBlas _blas;
    private readonly RecurrentParameters _parameters;
    private readonly float[] _xs;          // (maxSteps, maxBatch, I): input copy, dW_ih needs it
    private readonly float[] _hs;          // (1 + maxSteps, maxBatch, H): h0 then the outputs h_0..h_{T-1}, so h_{t-1} of
                                           // every step is one (T·B, H) block for dW_hh; tanh' = 1 - h² is read from here
    private readonly float[] _dz;          // (maxSteps, maxBatch, H): dL/d(pre-activation), kept for the batched dW_ih/dxs GEMMs
    private readonly float[] _dhTotal;     // (maxBatch, H): total dL/dh_t at the step being processed
    private readonly float[] _dhPrevious;  // (maxBatch, H): dL/dh_{t-1} flowing back through W_hh
    private readonly float[] _norms;       // (maxSteps + 1)
    private int _steps;
    private int _batch;

    public VanillaRnn(IBlas blas, int inputSize, int hiddenSize, int maxSteps, int maxBatch)
    {
        ArgumentNullException.ThrowIfNull(blas);
        Shapes.RequirePositive(maxSteps, nameof(maxSteps));
        Shapes.RequirePositive(maxBatch, nameof(maxBatch));
        _blas = blas;
        _parameters = new RecurrentParameters(CheckpointKind, 1, inputSize, hiddenSize);
        MaxSteps = maxSteps;
        MaxBatch = maxBatch;
        _xs = new float[maxSteps * maxBatch * inputSize];
        _hs = new float[(maxSteps + 1) * maxBatch * hiddenSize];
        _dz = new float[maxSteps * maxBatch * hiddenSize];
        _dhTotal = new float[maxBatch * hiddenSize];
        _dhPrevious = new float[maxBatch * hiddenSize];
        _norms = new float[maxSteps + 1];
    }

    public int InputSize => _parameters.InputSize;
    public int HiddenSize => _parameters.HiddenSize;
    public int MaxSteps { get; }
    public int MaxBatch { get; }

    /// <summary>All parameters in one block: W_ih (H,I), W_hh (H,H), b_ih (H), b_hh (H).</summary>
    public Span<float> Parameters => _parameters.Values;
    public Span<float> Gradients => _parameters.Grads;

    public Span<float> WeightIh => _parameters.WeightIh(grad: false);       // (H, I)
    public Span<float> WeightHh => _parameters.WeightHh(grad: false);       // (H, H)
    public Span<float> BiasIh => _parameters.BiasIh(grad: false);           // (H)
    public Span<float> BiasHh => _parameters.BiasHh(grad: false);           // (H)
    public Span<float> WeightIhGrad => _parameters.WeightIh(grad: true);
    public Span<float> WeightHhGrad => _parameters.WeightHh(grad: true);
    public Span<float> BiasIhGrad => _parameters.BiasIh(grad: true);
    public Span<float> BiasHhGrad => _parameters.BiasHh(grad: true);

    /// <summary>Hidden states of the last Forward: (T, B, H).</summary>
    public ReadOnlySpan<float> Hidden => _hs.AsSpan(_batch * HiddenSize, _steps * _batch * HiddenSize);

    /// <summary>h_{T-1} of the last Forward: (B, H), the state to carry into the next sequence.</summary>
    public ReadOnlySpan<float> FinalHidden => _steps == 0
        ? ReadOnlySpan<float>.Empty
        : _hs.AsSpan(_steps * _batch * HiddenSize, _batch * HiddenSize);

    /// <summary>After Backward: T+1 Frobenius norms over the batch. Entry 0 = ||dL/dh0||; entry t ≥ 1 =
    /// ||total dL/dh_{t-1}|| (upstream dhs[t-1] plus what flows back from later steps), as FORMAT.md's dh_total_norms.</summary>
    public ReadOnlySpan<float> HiddenGradientNorms => _norms.AsSpan(0, _steps == 0 ? 0 : _steps + 1);

    public void ZeroGrad() => _parameters.ZeroGrad();

    /// <summary>torch's default: every weight and bias ~ U(−scale/√H, scale/√H).</summary>
    public void Initialize(Random rng, double scale = 1.0) => _parameters.Initialize(rng, scale);

    public void Save(BinaryWriter writer) => _parameters.Save(writer);

    public void Load(BinaryReader reader) => _parameters.Load(reader);

    /// <summary>xs: (T, B, I)  h0: (B, H)  →  hs: (T, B, H), valid until the next Forward.</summary>
    public ReadOnlySpan<float> Forward(ReadOnlySpan<float> xs, ReadOnlySpan<float> h0, int steps, int batch)
    {
        Shapes.RequireWithin(steps, MaxSteps, nameof(steps), nameof(MaxSteps));
        Shapes.RequireWithin(batch, MaxBatch, nameof(batch), nameof(MaxBatch));
        int inputSize = InputSize, hidden = HiddenSize, rows = steps * batch;
        Shapes.Require(xs, rows * inputSize, nameof(xs));
        Shapes.Require(h0, batch * hidden, nameof(h0));
        _steps = 0; // a failure below must not leave a stale Forward for Backward to trust

        Span<float> x = _xs.AsSpan(0, rows * inputSize);        // (T·B, I)
        xs[..x.Length].CopyTo(x);
        h0[..(batch * hidden)].CopyTo(_hs);
        Span<float> hs = _hs.AsSpan(batch * hidden, rows * hidden);   // (T·B, H), after h0
        ReadOnlySpan<float> wIh = WeightIh, wHh = WeightHh, bIh = BiasIh, bHh = BiasHh;

        // The input projection has no time dependence: one GEMM over all T·B rows.
        _blas.Gemm(Trans.No, Trans.Yes, rows, hidden, inputSize, 1f, x, wIh, 0f, hs);
        for (int t = 0; t < steps; t++)
        {
            Span<float> h = hs.Slice(t * batch * hidden, batch * hidden);                        // (B, H)
            ReadOnlySpan<float> previous = _hs.AsSpan(t * batch * hidden, batch * hidden);        // h0 when t = 0
            _blas.Gemm(Trans.No, Trans.Yes, batch, hidden, hidden, 1f, previous, wHh, 1f, h);   // h += h_{t-1}·W_hhᵀ
            for (int n = 0; n < batch; n++)
            {
                Span<float> row = h.Slice(n * hidden, hidden);
                TensorPrimitives.Add(row, bIh, row);
                TensorPrimitives.Add(row, bHh, row);
            }
            Tanh.Exact(h);
        }
        _steps = steps;
        _batch = batch;
        return hs;
    }

    /// <summary>
    /// dhs: (T, B, H) upstream gradient on every h_t. Accumulates (+=) into the parameter gradients;
    /// overwrites dxs (T, B, I) and dh0 (B, H). Either output may be empty when the caller does not need it.
    /// Must follow a Forward with the same steps and batch.
    /// </summary>
    public void Backward(ReadOnlySpan<float> dhs, Span<float> dxs, Span<float> dh0, int steps, int batch)
    {
        Shapes.RequireWithin(steps, MaxSteps, nameof(steps), nameof(MaxSteps));
        Shapes.RequireWithin(batch, MaxBatch, nameof(batch), nameof(MaxBatch));
        int inputSize = InputSize, hidden = HiddenSize, rows = steps * batch, state = batch * hidden;
        Shapes.Require(dhs, rows * hidden, nameof(dhs));
        Shapes.RequireOptional(dxs, rows * inputSize, nameof(dxs));
        Shapes.RequireOptional(dh0, state, nameof(dh0));
        Shapes.RequireForwardMatches(steps, batch, _steps, _batch);

        ReadOnlySpan<float> hs = _hs.AsSpan(state, rows * hidden);       // (T·B, H)
        ReadOnlySpan<float> previous = _hs.AsSpan(0, rows * hidden);     // (T·B, H): h_{t-1} of every step
        Span<float> dz = _dz.AsSpan(0, rows * hidden);           // (T·B, H)
        Span<float> dhTotal = _dhTotal.AsSpan(0, state);         // (B, H)
        Span<float> dhPrevious = _dhPrevious.AsSpan(0, state);   // (B, H)
        ReadOnlySpan<float> wHh = WeightHh;
        Span<float> dwHh = WeightHhGrad, dbIh = BiasIhGrad, dbHh = BiasHhGrad;
        dhPrevious.Clear();

        for (int t = steps - 1; t >= 0; t--)
        {
            ReadOnlySpan<float> h = hs.Slice(t * state, state);
            Span<float> dzt = dz.Slice(t * state, state);
            TensorPrimitives.Add(dhs.Slice(t * state, state), dhPrevious, dhTotal);
            _norms[t + 1] = Norms.L2(dhTotal);
            Tanh.Backward(h, dhTotal, dzt, state);                                               // tanh' from the output
            _blas.Gemm(Trans.No, Trans.No, batch, hidden, hidden, 1f, dzt, wHh, 0f, dhPrevious); // dh_{t-1} = dz·W_hh
            for (int n = 0; n < batch; n++)
            {
                ReadOnlySpan<float> row = dzt.Slice(n * hidden, hidden);
                TensorPrimitives.Add(dbIh, row, dbIh);
                TensorPrimitives.Add(dbHh, row, dbHh);
            }
        }
        _norms[0] = Norms.L2(dhPrevious);
        if (!dh0.IsEmpty)
        {
            dhPrevious.CopyTo(dh0);
        }

        // dW_hh += Σ_t dz_tᵀ·h_{t-1}: one GEMM over all T·B rows.
        _blas.Gemm(Trans.Yes, Trans.No, hidden, hidden, rows, 1f, dz, previous, 1f, dwHh);
        ReadOnlySpan<float> x = _xs.AsSpan(0, rows * inputSize);
        _blas.Gemm(Trans.Yes, Trans.No, hidden, inputSize, rows, 1f, dz, x, 1f, WeightIhGrad);   // dW_ih += dzᵀ·x
        if (!dxs.IsEmpty)
        {
            _blas.Gemm(Trans.No, Trans.No, rows, inputSize, hidden, 1f, dz, WeightIh, 0f, dxs); // dxs = dz·W_ih
        }
    }
}
