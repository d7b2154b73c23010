using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using TinyAutograd.Differentiation;
using TinyAutograd.Kernels;
using TinyAutograd.Profiling;

namespace TinyAutograd;

/// <summary>
/// One LSTM layer's recurrence over a whole sequence in one node (<see cref="Nn.Lstm{T}"/>). Inputs: the gate
/// pre-activations that come from the inputs, a = x·W_ihᵀ ([T·B, 4H], gates i, f, g, o), W_hh [4H, H], h₀ and c₀
/// [B, H], and optionally the gates' bias b = b_ih + b_hh [4H]. Output [T + 1, B, H]: h₁ … h_T, then c_T. Step t:
/// s = (aₜ + b) + hₜ₋₁·W_hhᵀ; i, f, o = σ(sᵢ), σ(s_f), σ(s_o); g = tanh s_g; cₜ = f⊙cₜ₋₁ + i⊙g; hₜ = o⊙tanh cₜ.
/// </summary>
/// <remarks>
/// <para>
/// Backward through time: dhₜ = ∂L/∂hₜ + (what step t + 1 sends back), dcₜ = ∂L/∂cₜ (c_T only) + (what step t + 1
/// sends back) + dhₜ⊙o⊙(1 − tanh²cₜ); dsₜ = [dc⊙g⊙i(1 − i), dc⊙cₜ₋₁⊙f(1 − f), dc⊙i⊙(1 − g²), dh⊙tanh cₜ⊙o(1 − o)];
/// step t − 1 gets dc⊙f and dsₜ·W_hh. So ∂L/∂aₜ = dsₜ, ∂L/∂W_hh = Σₜ dsₜᵀ·hₜ₋₁ (one product over the whole
/// sequence), ∂L/∂b = Σₜ Σ_rows dsₜ, and ∂L/∂h₀, ∂L/∂c₀ are what reaches step 0. The bias is an input of its own so
/// that each step adds it in the one pass per row that takes the recurrent product to hₜ (<see cref="LstmCellRows"/>),
/// and each step's rows add their ds into its gradient as the backward forms them, rather than in a broadcast pass over
/// all T·B rows each way.
/// </para>
/// <para>
/// Unrecorded, one pass makes every input's gradient (kept for the engine's calls for the other inputs): a product per
/// step, with W_hh packed once for all of them as forward, and one sweep over the saved activations, where the per-step composite recorded some twenty ops a step (four
/// gate slices among them) and a product per step for W_hh's gradient. When anything is tracked (higher orders,
/// tangents), the same recurrence runs in recorded ops over activations recomputed from the inputs in recorded ops, so
/// derivatives of every order follow; the tangent is the linearized recurrence, likewise in ops.
/// </para>
/// </remarks>
internal sealed class LstmSequenceNode<T> : Node<T>, ICountsFlops
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Tensor<T> _activations;
    private readonly Tensor<T> _cells;
    private readonly Tensor<T> _cellTanh;
    private Tensor<T>? _gradientOf;
    private Tensor<T>[]? _gradients;

    private LstmSequenceNode(Tensor<T>[] inputs, Tensor<T> activations, Tensor<T> cells, Tensor<T> cellTanh)
        : base("LSTM", inputs)
    {
        _activations = activations;
        _cells = cells;
        _cellTanh = cellTanh;
    }

    private bool HasBias => InputCount == 5;

    /// <summary>
    /// Forward: the recurrent products hₜ₋₁·W_hhᵀ, 2·T·B·4H·H, and one operation per gate pre-activation (T·B·4H);
    /// backward: the products dsₜ·W_hh and Σₜ dsₜᵀ·hₜ₋₁, twice the forward's, and one per gate pre-activation.
    /// </summary>
    public long Flops(bool backward)
    {
        long gateValues = Input(0).Length, products = 2 * gateValues * Input(1).Shape[1];
        return (backward ? 2 * products : products) + gateValues;
    }

    /// <summary>The output [T + 1, B, H] of the recurrence (see the class remarks); <paramref name="bias"/> [4H] or null.</summary>
    public static Tensor<T> Apply(Tensor<T> gates, Tensor<T> weight, Tensor<T> hidden, Tensor<T> cell, Tensor<T>? bias, OpCall call = default)
    {
        int batch = hidden.Shape[0], size = hidden.Shape[1], steps = gates.Shape[0] / batch;
        var output = Tensor<T>.Uninitialized(new Shape(steps + 1, batch, size));
        var activations = Tensor<T>.Uninitialized(new Shape(steps, batch, 4 * size));
        var cells = Tensor<T>.Uninitialized(new Shape(steps, batch, size));
        var cellTanh = Tensor<T>.Uninitialized(new Shape(steps, batch, size));
        Forward(gates.Data, bias is null ? default : bias.Data, weight.Data, hidden.Data, cell.Data, new Sizes(steps, batch, size), output.Storage, activations.Storage, cells.Storage, cellTanh.Storage);
        bool tracks = Tape.Tracks(gates, weight) || Tape.Tracks(hidden, cell) || (bias is not null && Tape.Tracks(bias));
        return Tape.Record(call, output, tracks ? new LstmSequenceNode<T>(bias is null ? [gates, weight, hidden, cell] : [gates, weight, hidden, cell, bias], activations, cells, cellTanh) : null);
    }

    /// <summary>The step count T, batch B and hidden size H, and the lengths they make.</summary>
    private readonly record struct Sizes(int Steps, int Batch, int Hidden)
    {
        public int Width => 4 * Hidden;

        public int GateBlock => Batch * Width;

        public int Plane => Batch * Hidden;
    }

    /// <summary>The recurrence, unrecorded; <paramref name="bias"/> is empty when there is none.</summary>
    private static void Forward(ReadOnlySpan<T> gates, ReadOnlySpan<T> bias, ReadOnlySpan<T> weight, ReadOnlySpan<T> h0, ReadOnlySpan<T> c0, Sizes n, Span<T> output, Span<T> activations, Span<T> cells, Span<T> cellTanh)
    {
        int size = n.Hidden;
        var packedWeight = Packed(weight, transposed: true, n.Hidden, n.Width);
        for (int t = 0; t < n.Steps; t++)
        {
            var s = activations.Slice(t * n.GateBlock, n.GateBlock);
            ReadOnlySpan<T> hPrevious = t == 0 ? h0 : output.Slice((t - 1) * n.Plane, n.Plane);
            ReadOnlySpan<T> cPrevious = t == 0 ? c0 : cells.Slice((t - 1) * n.Plane, n.Plane);
            Gemm.MultiplyPacked(hPrevious, false, packedWeight.Data, s, n.Batch, n.Width, size);
            for (int b = 0; b < n.Batch; b++)
            {
                int at = (t * n.Plane) + (b * size);
                LstmCellRows.Forward(gates.Slice((t * n.GateBlock) + (b * n.Width), n.Width), bias, s.Slice(b * n.Width, n.Width), cPrevious.Slice(b * size, size),
                    cells.Slice(at, size), cellTanh.Slice(at, size), output.Slice(at, size));
            }
        }
        cells.Slice((n.Steps - 1) * n.Plane, n.Plane).CopyTo(output.Slice(n.Steps * n.Plane, n.Plane));
    }

    public override Tensor<T> InputGradient(int index, Tensor<T> outputGradient)
    {
        if (!ReferenceEquals(_gradientOf, outputGradient) || _gradients is null)
        {
            _gradients = Tape.Tracks(outputGradient) || Tape.Tracks(Input(0), Input(1)) || Tape.Tracks(Input(2), Input(3)) || (HasBias && Tape.Tracks(Input(4)))
                ? RecordedGradients(outputGradient)
                : Gradients(outputGradient);
            _gradientOf = outputGradient;
        }
        return _gradients[index];
    }

    /// <summary>Every input's gradient in one pass backward through time over the saved activations.</summary>
    private Tensor<T>[] Gradients(Tensor<T> outputGradient)
    {
        var (gates, weight, hidden) = (Input(0), Input(1), Input(2));
        var n = new Sizes(_activations.Shape[0], hidden.Shape[0], hidden.Shape[1]);
        var gateGradient = Tensor<T>.Uninitialized(gates.Shape);
        var hiddenGradient = Tensor.Zeros<T>(n.Batch, n.Hidden);
        var cellGradient = Tensor<T>.Uninitialized(new Shape(n.Batch, n.Hidden));
        var biasGradient = HasBias ? Tensor.Zeros<T>(n.Width) : null;
        ReadOnlySpan<T> g = outputGradient.Data;
        var packedWeight = Packed(weight.Data, transposed: false, n.Width, n.Hidden);
        g.Slice(n.Steps * n.Plane, n.Plane).CopyTo(cellGradient.Storage);
        for (int t = n.Steps - 1; t >= 0; t--)
        {
            ReadOnlySpan<T> cPrevious = t == 0 ? Input(3).Data : _cells.Data.Slice((t - 1) * n.Plane, n.Plane);
            var ds = gateGradient.Storage.AsSpan(t * n.GateBlock, n.GateBlock);
            for (int b = 0; b < n.Batch; b++)
            {
                int at = (t * n.Plane) + (b * n.Hidden);
                StepBackward(
                    _activations.Data.Slice((t * n.GateBlock) + (b * n.Width), n.Width), _cellTanh.Data.Slice(at, n.Hidden), cPrevious.Slice(b * n.Hidden, n.Hidden),
                    g.Slice(at, n.Hidden), hiddenGradient.Data.Slice(b * n.Hidden, n.Hidden), cellGradient.Storage.AsSpan(b * n.Hidden, n.Hidden), ds.Slice(b * n.Width, n.Width),
                    biasGradient is null ? default : biasGradient.Storage.AsSpan());
            }
            Gemm.MultiplyPacked<T>(ds, false, packedWeight.Data, hiddenGradient.Storage, n.Batch, n.Hidden, n.Width);
        }
        var weightGradient = Tensor<T>.Uninitialized(weight.Shape);
        ReadOnlySpan<T> dsAll = gateGradient.Data;
        if (n.Steps > 1)
        {
            // Σ over steps 1 … T − 1 of dsₜᵀ·hₜ, whose hₜ₋₁ are the output's first T − 1 planes, as one product; then step 0's, on h₀.
            Gemm.Multiply(dsAll[n.GateBlock..], true, Output.Data[..((n.Steps - 1) * n.Plane)], false, weightGradient.Storage, n.Width, n.Hidden, (n.Steps - 1) * n.Batch);
        }
        Gemm.Multiply(dsAll[..n.GateBlock], true, hidden.Data, false, weightGradient.Storage, n.Width, n.Hidden, n.Batch, accumulate: n.Steps > 1);
        return biasGradient is null ? [gateGradient, weightGradient, hiddenGradient, cellGradient] : [gateGradient, weightGradient, hiddenGradient, cellGradient, biasGradient];
    }

    /// <summary>W_hhᵀ (forward) or W_hh (backward) packed once for the products of every step (<see cref="Gemm.PackRight{T}"/>).</summary>
    private static Tensor<T> Packed(ReadOnlySpan<T> weight, bool transposed, int depth, int width)
    {
        var packed = Tensor<T>.Uninitialized(new Shape(Gemm.PackedRightLength<T>(depth, width)));
        Gemm.PackRight(weight, transposed, depth, width, packed.Storage);
        return packed;
    }

    /// <summary>
    /// One batch row of one step backward: from dh = (this step's output gradient) + (what step t + 1 sends back through
    /// W_hh) and dc (the next step's, replaced by the one this step sends back), the gate pre-activations' gradients ds
    /// (see the class remarks), each also added into the bias gradient unless that is empty.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void StepBackward(ReadOnlySpan<T> gates, ReadOnlySpan<T> tanhC, ReadOnlySpan<T> cPrevious, ReadOnlySpan<T> outputGradient, ReadOnlySpan<T> carried, Span<T> dc, Span<T> ds, Span<T> biasGradient)
    {
        int size = dc.Length;
        ReadOnlySpan<T> i = gates[..size], f = gates.Slice(size, size), g = gates.Slice(2 * size, size), o = gates[(3 * size)..];
        Span<T> di = ds[..size], df = ds.Slice(size, size), dg = ds.Slice(2 * size, size), dOut = ds[(3 * size)..];
        bool bias = !biasGradient.IsEmpty;
        int k = 0;
        var one = Vector<T>.One;
        for (; k <= size - Vector<T>.Count; k += Vector<T>.Count)
        {
            var (vi, vf, vg, vo, vt) = (new Vector<T>(i[k..]), new Vector<T>(f[k..]), new Vector<T>(g[k..]), new Vector<T>(o[k..]), new Vector<T>(tanhC[k..]));
            var vh = new Vector<T>(outputGradient[k..]) + new Vector<T>(carried[k..]);
            var vc = new Vector<T>(dc[k..]) + (vh * vo * (one - (vt * vt)));
            var gi = vc * vg * (vi * (one - vi));
            var gf = vc * new Vector<T>(cPrevious[k..]) * (vf * (one - vf));
            var gg = vc * vi * (one - (vg * vg));
            var go = vh * vt * (vo * (one - vo));
            gi.CopyTo(di[k..]);
            gf.CopyTo(df[k..]);
            gg.CopyTo(dg[k..]);
            go.CopyTo(dOut[k..]);
            (vc * vf).CopyTo(dc[k..]);
            if (bias)
            {
                (new Vector<T>(biasGradient[k..]) + gi).CopyTo(biasGradient[k..]);
                (new Vector<T>(biasGradient[(size + k)..]) + gf).CopyTo(biasGradient[(size + k)..]);
                (new Vector<T>(biasGradient[((2 * size) + k)..]) + gg).CopyTo(biasGradient[((2 * size) + k)..]);
                (new Vector<T>(biasGradient[((3 * size) + k)..]) + go).CopyTo(biasGradient[((3 * size) + k)..]);
            }
        }
        for (; k < size; k++)
        {
            T h = outputGradient[k] + carried[k];
            T c = dc[k] + (h * o[k] * (T.One - (tanhC[k] * tanhC[k])));
            di[k] = c * g[k] * (i[k] * (T.One - i[k]));
            df[k] = c * cPrevious[k] * (f[k] * (T.One - f[k]));
            dg[k] = c * i[k] * (T.One - (g[k] * g[k]));
            dOut[k] = h * tanhC[k] * (o[k] * (T.One - o[k]));
            dc[k] = c * f[k];
            if (bias)
            {
                biasGradient[k] += di[k];
                biasGradient[size + k] += df[k];
                biasGradient[(2 * size) + k] += dg[k];
                biasGradient[(3 * size) + k] += dOut[k];
            }
        }
    }

    /// <summary>The same backward through time in recorded ops, over activations recomputed from the inputs.</summary>
    private Tensor<T>[] RecordedGradients(Tensor<T> outputGradient)
    {
        var weight = Input(1);
        var states = Recompute();
        int steps = states.Length, batch = Input(2).Shape[0];
        Tensor<T>? dhNext = null, weightGradient = null;
        var dcNext = outputGradient.Slice(0, steps, 1).Reshape(Input(3).Shape.ToArray());
        var ds = new Tensor<T>[steps];
        for (int t = steps - 1; t >= 0; t--)
        {
            var state = states[t];
            var here = outputGradient.Slice(0, t, 1).Reshape(batch, state.TanhC.Shape[1]);
            var dh = dhNext is null ? here : here + dhNext;
            var dc = dcNext + (dh * state.O * (1.0 - state.TanhC.Square()));
            ds[t] = Tensor<T>.Concatenate(1, dc * state.G * (state.I * (1.0 - state.I)), dc * state.CPrevious * (state.F * (1.0 - state.F)),
                dc * state.I * (1.0 - state.G.Square()), dh * state.TanhC * (state.O * (1.0 - state.O)));
            dcNext = dc * state.F;
            dhNext = ds[t].MatMul(weight);
            var term = ds[t].MatMul(state.HPrevious, transposeLeft: true);
            weightGradient = weightGradient is null ? term : weightGradient + term;
        }
        var gateGradient = Tensor<T>.Concatenate(0, ds);
        return HasBias ? [gateGradient, weightGradient!, dhNext!, dcNext, gateGradient.Sum(0)] : [gateGradient, weightGradient!, dhNext!, dcNext];
    }

    public override Tensor<T> OutputTangent(int index, Tensor<T> inputTangent)
    {
        var tangents = new Tensor<T>?[InputCount];
        tangents[index] = inputTangent;
        return Tangent(tangents);
    }

    internal override Tensor<T> PushForward()
    {
        var tangents = new Tensor<T>?[InputCount];
        for (int i = 0; i < InputCount; i++)
        {
            tangents[i] = Input(i).Tangent;
        }
        return Tangent(tangents);
    }

    /// <summary>The output's tangent for the given inputs' tangents (null for none): the linearized recurrence.</summary>
    private Tensor<T> Tangent(Tensor<T>?[] tangents)
    {
        var (gatesDot, weightDot) = (tangents[0], tangents[1]);
        var weight = Input(1);
        var states = Recompute();
        int steps = states.Length, batch = Input(2).Shape[0];
        var hDot = tangents[2] ?? Tensor.Zeros<T>(Input(2).Shape.ToArray());
        var cDot = tangents[3] ?? Tensor.Zeros<T>(Input(3).Shape.ToArray());
        var outputs = new Tensor<T>[steps + 1];
        for (int t = 0; t < steps; t++)
        {
            var state = states[t];
            int size = state.TanhC.Shape[1];
            var sDot = hDot.MatMul(weight, transposeRight: true);
            if (gatesDot is not null)
            {
                sDot += gatesDot.Slice(0, t * batch, batch);
            }
            if (HasBias && tangents[4] is { } biasDot)
            {
                sDot += biasDot;
            }
            if (weightDot is not null)
            {
                sDot += state.HPrevious.MatMul(weightDot, transposeRight: true);
            }
            var iDot = state.I * (1.0 - state.I) * sDot.Slice(1, 0, size);
            var fDot = state.F * (1.0 - state.F) * sDot.Slice(1, size, size);
            var gDot = (1.0 - state.G.Square()) * sDot.Slice(1, 2 * size, size);
            var oDot = state.O * (1.0 - state.O) * sDot.Slice(1, 3 * size, size);
            cDot = (fDot * state.CPrevious) + (state.F * cDot) + (iDot * state.G) + (state.I * gDot);
            hDot = (oDot * state.TanhC) + (state.O * (1.0 - state.TanhC.Square()) * cDot);
            outputs[t] = hDot;
        }
        outputs[steps] = cDot;
        return Tensor<T>.Stack(0, outputs);
    }

    /// <summary>One step's activations and the state it started from, as tensors.</summary>
    private readonly record struct StepState(Tensor<T> HPrevious, Tensor<T> CPrevious, Tensor<T> I, Tensor<T> F, Tensor<T> G, Tensor<T> O, Tensor<T> TanhC);

    /// <summary>Every step's activations, recomputed from the inputs in (recorded, when recording) ops.</summary>
    private StepState[] Recompute()
    {
        var (gates, weight, h, c) = (Input(0), Input(1), Input(2), Input(3));
        int batch = h.Shape[0], size = h.Shape[1];
        var states = new StepState[gates.Shape[0] / batch];
        for (int t = 0; t < states.Length; t++)
        {
            var a = HasBias ? gates.Slice(0, t * batch, batch) + Input(4) : gates.Slice(0, t * batch, batch);
            var s = a + h.MatMul(weight, transposeRight: true);
            var (i, f, g, o) = (s.Slice(1, 0, size).Sigmoid(), s.Slice(1, size, size).Sigmoid(), s.Slice(1, 2 * size, size).Tanh(), s.Slice(1, 3 * size, size).Sigmoid());
            var next = (f * c) + (i * g);
            var tanhC = next.Tanh();
            states[t] = new StepState(h, c, i, f, g, o, tanhC);
            (h, c) = (o * tanhC, next);
        }
        return states;
    }
}
