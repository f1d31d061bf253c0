using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using DqnStudy.Nn.Blas;
using DqnStudy.Nn.Kernels;

namespace DqnStudy.Nn.Recurrent;

/// <summary>
/// torch.nn.LSTM(num_layers: 1, bias: true) unrolled over T steps for a batch, with backprop through time.
/// Gate blocks in torch's order (i, f, g, o): a = x_t·W_ihᵀ + b_ih + h_{t-1}·W_hhᵀ + b_hh, i = σ(a_i), f = σ(a_f),
/// g = tanh(a_g), o = σ(a_o), c_t = f·c_{t-1} + i·g, h_t = o·tanh(c_t).
/// Every buffer is sized for maxSteps × maxBatch up front: Forward and Backward never allocate.
/// Gradients accumulate across Backward calls; call ZeroGrad once per optimiser step.
/// </summary>
public sealed class Lstm
{
    private const int CheckpointKind = 2;
    private const int GateCount = 4;

    private readonly IBlas _blas;
    private readonly RecurrentParameters _parameters;
    private readonly float[] _xs;          // (maxSteps, maxBatch, I): input copy, dW_ih needs it
    private readonly float[] _c0;          // (maxBatch, H)
    private readonly float[] _gates;       // (maxSteps, maxBatch, 4H): activated gates i, f, g, o (derivatives read from these)
    private readonly float[] _cs;          // (maxSteps, maxBatch, H)
    private readonly float[] _tanhC;       // (maxSteps, maxBatch, H): tanh(c_t), reused by backward
    private readonly float[] _hs;          // (1 + maxSteps, maxBatch, H): h0 then h_0..h_{T-1}, so h_{t-1} of every step is one (T·B, H) block for dW_hh
    private readonly float[] _dGates;      // (maxSteps, maxBatch, 4H): dL/d(pre-activation), for the batched dW_ih/dxs GEMMs
    private readonly float[] _dhTotal;     // (maxBatch, H)
    private readonly float[] _dhPrevious;  // (maxBatch, H): dL/dh_{t-1} through W_hh
    private readonly float[] _dcRunning;   // (maxBatch, H): dL/dc_t from later steps, then dL/dc_{t-1}
    private readonly float[] _norms;       // (maxSteps + 1)
    private int _steps;
    private int _batch;

    public Lstm(IBlas blas, int inputSize, int hiddenSize, int maxSteps, int maxBatch)
    {
        ArgumentNullException.ThrowIfNull(blas);
        Shapes.RequirePositive(maxSteps, nameof(maxSteps));
        Shapes.RequirePositive(maxBatch, nameof(maxBatch));
        _blas = blas;
        _parameters = new RecurrentParameters(CheckpointKind, GateCount, inputSize, hiddenSize);
        MaxSteps = maxSteps;
        MaxBatch = maxBatch;
        int cells = maxSteps * maxBatch * hiddenSize;
        _xs = new float[maxSteps * maxBatch * inputSize];
        _c0 = new float[maxBatch * hiddenSize];
        _gates = new float[GateCount * cells];
        _cs = new float[cells];
        _tanhC = new float[cells];
        _hs = new float[cells + maxBatch * hiddenSize];
        _dGates = new float[GateCount * cells];
        _dhTotal = new float[maxBatch * hiddenSize];
        _dhPrevious = new float[maxBatch * hiddenSize];
        _dcRunning = new float[maxBatch * hiddenSize];
        _norms = new float[maxSteps + 1];
    }

    public int InputSize => _parameters.InputSize;
    public int HiddenSize => _parameters.HiddenSize;
    public int MaxSteps { get; }
    public int MaxBatch { get; }

    /// <summary>All parameters in one block: W_ih (4H,I), W_hh (4H,H), b_ih (4H), b_hh (4H); rows in gate order i, f, g, o.</summary>
    public Span<float> Parameters => _parameters.Values;
    public Span<float> Gradients => _parameters.Grads;

    public Span<float> WeightIh => _parameters.WeightIh(grad: false);       // (4H, I)
    public Span<float> WeightHh => _parameters.WeightHh(grad: false);       // (4H, H)
    public Span<float> BiasIh => _parameters.BiasIh(grad: false);           // (4H)
    public Span<float> BiasHh => _parameters.BiasHh(grad: false);           // (4H)
    public Span<float> WeightIhGrad => _parameters.WeightIh(grad: true);
    public Span<float> WeightHhGrad => _parameters.WeightHh(grad: true);
    public Span<float> BiasIhGrad => _parameters.BiasIh(grad: true);
    public Span<float> BiasHhGrad => _parameters.BiasHh(grad: true);

    /// <summary>Hidden states of the last Forward: (T, B, H).</summary>
    public ReadOnlySpan<float> Hidden => _hs.AsSpan(_batch * HiddenSize, _steps * _batch * HiddenSize);

    /// <summary>Cell states of the last Forward: (T, B, H).</summary>
    public ReadOnlySpan<float> Cells => _cs.AsSpan(0, _steps * _batch * HiddenSize);

    /// <summary>h_{T-1} and c_{T-1} of the last Forward: (B, H) each, the state to carry into the next sequence.</summary>
    public ReadOnlySpan<float> FinalHidden => LastStep(_hs, 1);
    public ReadOnlySpan<float> FinalCell => LastStep(_cs, 0);

    /// <summary>After Backward: T+1 Frobenius norms over the batch. Entry 0 = ||dL/dh0||; entry t ≥ 1 =
    /// ||total dL/dh_{t-1}|| (upstream plus what flows back from later steps), as for VanillaRnn.</summary>
    public ReadOnlySpan<float> HiddenGradientNorms => _norms.AsSpan(0, _steps == 0 ? 0 : _steps + 1);

    public void ZeroGrad() => _parameters.ZeroGrad();

    /// <summary>torch's default: every weight and bias ~ U(−scale/√H, scale/√H).</summary>
    public void Initialize(Random rng, double scale = 1.0) => _parameters.Initialize(rng, scale);

    public void Save(BinaryWriter writer) => _parameters.Save(writer);

    public void Load(BinaryReader reader) => _parameters.Load(reader);

    /// <summary>xs: (T, B, I)  h0, c0: (B, H)  →  hs: (T, B, H), valid until the next Forward (cells in Cells).</summary>
    public ReadOnlySpan<float> Forward(ReadOnlySpan<float> xs, ReadOnlySpan<float> h0, ReadOnlySpan<float> c0, int steps, int batch)
    {
        Shapes.RequireWithin(steps, MaxSteps, nameof(steps), nameof(MaxSteps));
        Shapes.RequireWithin(batch, MaxBatch, nameof(batch), nameof(MaxBatch));
        int inputSize = InputSize, hidden = HiddenSize, rows = steps * batch, state = batch * hidden, width = GateCount * hidden;
        Shapes.Require(xs, rows * inputSize, nameof(xs));
        Shapes.Require(h0, state, nameof(h0));
        Shapes.Require(c0, state, nameof(c0));
        _steps = 0; // a failure below must not leave a stale Forward for Backward to trust

        Span<float> x = _xs.AsSpan(0, rows * inputSize);        // (T·B, I)
        xs[..x.Length].CopyTo(x);
        h0[..state].CopyTo(_hs);
        c0[..state].CopyTo(_c0);
        Span<float> gates = _gates.AsSpan(0, rows * width);     // (T·B, 4H)
        ReadOnlySpan<float> wIh = WeightIh, wHh = WeightHh, bIh = BiasIh, bHh = BiasHh;

        // The input projection has no time dependence: one GEMM over all T·B rows.
        _blas.Gemm(Trans.No, Trans.Yes, rows, width, inputSize, 1f, x, wIh, 0f, gates);
        for (int t = 0; t < steps; t++)
        {
            Span<float> a = gates.Slice(t * batch * width, batch * width);                         // (B, 4H)
            ReadOnlySpan<float> hPrevious = _hs.AsSpan(t * state, state);
            ReadOnlySpan<float> cPrevious = t == 0 ? _c0.AsSpan(0, state) : _cs.AsSpan((t - 1) * state, state);
            _blas.Gemm(Trans.No, Trans.Yes, batch, width, hidden, 1f, hPrevious, wHh, 1f, a);      // a += h_{t-1}·W_hhᵀ
            Span<float> c = _cs.AsSpan(t * state, state);
            Span<float> tanhC = _tanhC.AsSpan(t * state, state);
            Span<float> h = _hs.AsSpan((t + 1) * state, state);
            for (int n = 0; n < batch; n++)
            {
                Span<float> row = a.Slice(n * width, width);
                TensorPrimitives.Add(row, bIh, row);
                TensorPrimitives.Add(row, bHh, row);
                Sigmoid.Exact(row[..(2 * hidden)]);             // i, f
                Span<float> g = row.Slice(2 * hidden, hidden);
                Tanh.Exact(g);
                Span<float> o = row.Slice(3 * hidden, hidden);
                Sigmoid.Exact(o);
                ReadOnlySpan<float> i = row[..hidden], f = row.Slice(hidden, hidden);
                Span<float> cRow = c.Slice(n * hidden, hidden), tanhCRow = tanhC.Slice(n * hidden, hidden);
                TensorPrimitives.Multiply(f, cPrevious.Slice(n * hidden, hidden), cRow);
                TensorPrimitives.MultiplyAdd(i, g, cRow, cRow);                  // c_t = f·c_{t-1} + i·g
                Tanh.Exact(cRow, tanhCRow);
                TensorPrimitives.Multiply(o, tanhCRow, h.Slice(n * hidden, hidden));
            }
        }
        _steps = steps;
        _batch = batch;
        return _hs.AsSpan(state, rows * hidden);
    }

    /// <summary>
    /// dhs: (T, B, H) upstream gradient on every h_t; dcT: (B, H) upstream gradient on c_{T-1}, or empty for zeros.
    /// Accumulates (+=) into the parameter gradients; overwrites dxs (T, B, I), dh0 and dc0 (B, H).
    /// Any of the three outputs may be empty when the caller does not need it. Must follow a Forward with the same steps and batch.
    /// </summary>
    public void Backward(ReadOnlySpan<float> dhs, ReadOnlySpan<float> dcT, Span<float> dxs, Span<float> dh0, Span<float> dc0,
                         int steps, int batch)
    {
        Shapes.RequireWithin(steps, MaxSteps, nameof(steps), nameof(MaxSteps));
        Shapes.RequireWithin(batch, MaxBatch, nameof(batch), nameof(MaxBatch));
        int inputSize = InputSize, hidden = HiddenSize, rows = steps * batch, state = batch * hidden, width = GateCount * hidden;
        Shapes.Require(dhs, rows * hidden, nameof(dhs));
        Shapes.RequireOptional(dcT, state, nameof(dcT));
        Shapes.RequireOptional(dxs, rows * inputSize, nameof(dxs));
        Shapes.RequireOptional(dh0, state, nameof(dh0));
        Shapes.RequireOptional(dc0, state, nameof(dc0));
        Shapes.RequireForwardMatches(steps, batch, _steps, _batch);

        ReadOnlySpan<float> gates = _gates.AsSpan(0, rows * width);  // (T·B, 4H)
        Span<float> dGates = _dGates.AsSpan(0, rows * width);        // (T·B, 4H)
        Span<float> dhTotal = _dhTotal.AsSpan(0, state);             // (B, H)
        Span<float> dhPrevious = _dhPrevious.AsSpan(0, state);       // (B, H)
        Span<float> dc = _dcRunning.AsSpan(0, state);                // (B, H)
        ReadOnlySpan<float> wHh = WeightHh;
        Span<float> dwHh = WeightHhGrad, dbIh = BiasIhGrad, dbHh = BiasHhGrad;
        dhPrevious.Clear();
        if (dcT.IsEmpty)
        {
            dc.Clear();
        }
        else
        {
            dcT[..state].CopyTo(dc);
        }

        for (int t = steps - 1; t >= 0; t--)
        {
            TensorPrimitives.Add(dhs.Slice(t * state, state), dhPrevious, dhTotal);
            _norms[t + 1] = Norms.L2(dhTotal);
            ReadOnlySpan<float> tanhC = _tanhC.AsSpan(t * state, state);
            ReadOnlySpan<float> cPrevious = t == 0 ? _c0.AsSpan(0, state) : _cs.AsSpan((t - 1) * state, state);
            Span<float> da = dGates.Slice(t * batch * width, batch * width);                     // (B, 4H)
            for (int n = 0; n < batch; n++)
            {
                ReadOnlySpan<float> row = gates.Slice((t * batch + n) * width, width);
                Span<float> dRow = da.Slice(n * width, width);
                int at = n * hidden;
                GateGradients(row, dhTotal.Slice(at, hidden), tanhC.Slice(at, hidden), cPrevious.Slice(at, hidden),
                              dc.Slice(at, hidden), dRow, hidden);
                TensorPrimitives.Add(dbIh, dRow, dbIh);
                TensorPrimitives.Add(dbHh, dRow, dbHh);
            }
            _blas.Gemm(Trans.No, Trans.No, batch, hidden, width, 1f, da, wHh, 0f, dhPrevious);   // dh_{t-1} = da·W_hh
        }
        _norms[0] = Norms.L2(dhPrevious);
        if (!dh0.IsEmpty)
        {
            dhPrevious.CopyTo(dh0);
        }
        if (!dc0.IsEmpty)
        {
            dc.CopyTo(dc0);
        }

        // dW_hh += Σ_t da_tᵀ·h_{t-1}: one GEMM over all T·B rows, since _hs keeps every h_{t-1} in one block.
        _blas.Gemm(Trans.Yes, Trans.No, width, hidden, rows, 1f, dGates, _hs.AsSpan(0, rows * hidden), 1f, dwHh);
        ReadOnlySpan<float> x = _xs.AsSpan(0, rows * inputSize);
        _blas.Gemm(Trans.Yes, Trans.No, width, inputSize, rows, 1f, dGates, x, 1f, WeightIhGrad);  // dW_ih += daᵀ·x
        if (!dxs.IsEmpty)
        {
            _blas.Gemm(Trans.No, Trans.No, rows, inputSize, width, 1f, dGates, WeightIh, 0f, dxs); // dxs = da·W_ih
        }
    }

    /// <summary>
    /// One batch row of one step: dL/d(pre-activation) of the four gates into dRow, and dc from dL/dc_t to dL/dc_{t-1}.
    /// Vector256 body and scalar tail do the same float operations in the same order (no FMA), so every element's
    /// result is the same wherever it sits.  gates, dRow: (4H)  dh, tanhC, cPrevious, dc: (H).
    /// </summary>
    private static void GateGradients(ReadOnlySpan<float> gates, ReadOnlySpan<float> dh, ReadOnlySpan<float> tanhC,
                                      ReadOnlySpan<float> cPrevious, Span<float> dc, Span<float> dRow, int hidden)
    {
        ref float gate = ref MemoryMarshal.GetReference(gates);
        ref float dGate = ref MemoryMarshal.GetReference(dRow);
        ref float dhRef = ref MemoryMarshal.GetReference(dh);
        ref float tanhRef = ref MemoryMarshal.GetReference(tanhC);
        ref float cRef = ref MemoryMarshal.GetReference(cPrevious);
        ref float dcRef = ref MemoryMarshal.GetReference(dc);
        nuint h = (nuint)hidden;
        int j = 0;
        Vector256<float> one = Vector256<float>.One;
        for (; j <= hidden - Vector256<float>.Count; j += Vector256<float>.Count)
        {
            nuint k = (nuint)j;
            Vector256<float> i = Vector256.LoadUnsafe(ref gate, k), f = Vector256.LoadUnsafe(ref gate, h + k);
            Vector256<float> g = Vector256.LoadUnsafe(ref gate, 2 * h + k), o = Vector256.LoadUnsafe(ref gate, 3 * h + k);
            Vector256<float> dhv = Vector256.LoadUnsafe(ref dhRef, k), tc = Vector256.LoadUnsafe(ref tanhRef, k);
            Vector256<float> dct = Vector256.LoadUnsafe(ref dcRef, k) + dhv * o * (one - tc * tc);      // through h_t = o·tanh(c_t)
            (dct * g * i * (one - i)).StoreUnsafe(ref dGate, k);                                        // σ' = s(1−s)
            (dct * Vector256.LoadUnsafe(ref cRef, k) * f * (one - f)).StoreUnsafe(ref dGate, h + k);
            (dct * i * (one - g * g)).StoreUnsafe(ref dGate, 2 * h + k);                                // tanh' = 1−g²
            (dhv * tc * o * (one - o)).StoreUnsafe(ref dGate, 3 * h + k);
            (dct * f).StoreUnsafe(ref dcRef, k);                                                        // now dL/dc_{t-1}
        }
        for (; j < hidden; j++)
        {
            float i = gates[j], f = gates[hidden + j], g = gates[2 * hidden + j], o = gates[3 * hidden + j];
            float dct = dc[j] + dh[j] * o * (1f - tanhC[j] * tanhC[j]);
            dRow[j] = dct * g * i * (1f - i);
            dRow[hidden + j] = dct * cPrevious[j] * f * (1f - f);
            dRow[2 * hidden + j] = dct * i * (1f - g * g);
            dRow[3 * hidden + j] = dh[j] * tanhC[j] * o * (1f - o);
            dc[j] = dct * f;
        }
    }

    // h has h0 in front (offset 1 step), c does not.
    private ReadOnlySpan<float> LastStep(float[] buffer, int offset) => _steps == 0
        ? ReadOnlySpan<float>.Empty
        : buffer.AsSpan((_steps - 1 + offset) * _batch * HiddenSize, _batch * HiddenSize);
}
