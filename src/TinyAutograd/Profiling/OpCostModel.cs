using System.Numerics;
using System.Runtime.CompilerServices;
using TinyAutograd.Differentiation;

namespace TinyAutograd.Profiling;

/// <summary>
/// The FLOPs and bytes of one op application, by a formula per op (the profiler's cost model).
/// </summary>
/// <remarks>
/// <para>
/// Forward FLOPs: a matrix product op(A)·op(B) over a batch of b products of [m, k]·[k, n] costs 2·b·m·n·k, exactly (k
/// is the left operand's matrix size over m, whatever the transpose flags), and a linear layer's x·Wᵀ + b (<c>Linear</c>)
/// that product plus one addition per output; a convolution is its im2col (no FLOPs) and
/// that product, so [N, C, H, W] with kernel [O, C/g, kh, kw] to [N, O, OH, OW] costs 2·N·O·OH·OW·(C/g)·kh·kw, plus one
/// addition per output for a bias, whether it runs as that product or as one node (<c>Conv2d</c>, whose Winograd
/// kernels do fewer multiplications: the figure is the direct sum's, as for the composite); an inner product of n terms
/// (<c>Dot</c>) costs 2n. Layout ops (reshape, permute, broadcast, slice, concatenation, index selection, im2col) cost
/// no FLOPs; col2im and index-add cost one addition per input element; reductions (sum, max) one per input element and
/// log-sum-exp four (the max, the subtraction, the exponential, the sum); a node that runs several products in one
/// (attention, the LSTM recurrence), what it counts itself (<see cref="ICountsFlops"/>); every other op, one per output
/// element.
/// </para>
/// <para>
/// Bytes: every input read once and the output written once; a reshape is a view and moves nothing. The backward of
/// each input that needs a gradient costs what the forward costs: exact for matrix products, where ∂L/∂A = G·op(B)ᵀ and
/// ∂L/∂B = op(A)ᵀ·G are products of the same size, and an estimate elsewhere; a convolution's or linear layer's bias costs its sum
/// over the output instead. A custom op costs what it declares.
/// </para>
/// </remarks>
internal static class OpCostModel
{
    /// <summary>The forward cost of <paramref name="node"/>, whose output has shape <paramref name="output"/>; null when unknown.</summary>
    public static OperationCost? Forward<T>(Node<T> node, Shape output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (node is CustomNode<T> custom)
        {
            return custom.DeclaredCost(output, backward: false);
        }
        long inputs = 0;
        for (int i = 0; i < node.InputCount; i++)
        {
            inputs += node.Input(i).Length;
        }
        long size = Unsafe.SizeOf<T>();
        long bytes = (inputs + output.Length) * size;
        if (node is ICountsFlops counted)
        {
            return new OperationCost(counted.Flops(backward: false), bytes);
        }
        return node.Name switch
        {
            "MatMul" => new OperationCost(MatrixProductFlops(node.Input(0).Shape, output), bytes),
            "Linear" => new OperationCost(MatrixProductFlops(node.Input(0).Shape, output) + output.Length, bytes),
            "Conv2d" => new OperationCost(ConvolutionFlops(node, output), bytes),
            "Dot" => new OperationCost(2 * node.Input(0).Length, bytes),
            "Reshape" => new OperationCost(0, 0),
            "Im2col" or "Permute" or "BroadcastTo" or "Slice" or "Embed" or "Concatenate" or "IndexSelect" => new OperationCost(0, bytes),
            "Col2im" or "IndexAdd" or "Sum" or "Max" => new OperationCost(inputs, bytes),
            "LogSumExp" => new OperationCost(4 * node.Input(0).Length, bytes),
            _ => new OperationCost(output.Length, bytes),
        };
    }

    /// <summary>
    /// The backward cost of <paramref name="node"/>: its forward cost once per input that needs a gradient (a custom op's
    /// declared backward cost); null when unknown.
    /// </summary>
    public static OperationCost? Backward<T>(Node<T> node)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var output = node.Output.Shape;
        if (node is CustomNode<T> custom)
        {
            return custom.DeclaredCost(output, backward: true);
        }
        if (Forward(node, output) is not { } forward)
        {
            return null;
        }
        var total = new OperationCost(0, 0);
        for (int i = 0; i < node.InputCount; i++)
        {
            if (node.Input(i).RequiresGrad)
            {
                total += node.Name is "Conv2d" or "Linear" && i == 2 ? BiasSum(output, node.Input(2).Length, Unsafe.SizeOf<T>()) : forward;
            }
        }
        return node is ICountsFlops counted ? new OperationCost(counted.Flops(backward: true), total.Bytes) : total;
    }

    /// <summary>
    /// 2·N·O·OH·OW·(C/g)·kh·kw for a convolution node with output [N, O, OH, OW] and weight [O, C/g, kh, kw] (input 1), plus
    /// one addition per output when it has a bias (input 2).
    /// </summary>
    private static long ConvolutionFlops<T>(Node<T> node, Shape output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var weight = node.Input(1).Shape;
        long perOutput = weight[0] == 0 ? 0 : weight.Length / weight[0];
        return (2 * output.Length * perOutput) + (node.InputCount > 2 ? output.Length : 0);
    }

    /// <summary>A bias's gradient: one addition per output element, reading the output gradient and writing the bias.</summary>
    private static OperationCost BiasSum(Shape output, long biasLength, long size) => new(output.Length, (output.Length + biasLength) * size);

    /// <summary>
    /// 2·b·m·n·k for a product whose left operand (as stored) has shape <paramref name="left"/> and whose result has shape
    /// <paramref name="product"/> = [batch…, m, n]: the left matrix holds m·k elements with or without a transpose.
    /// </summary>
    public static long MatrixProductFlops(Shape left, Shape product)
    {
        long m = product[^2];
        if (m == 0)
        {
            return 0;
        }
        long k = (long)left[^2] * left[^1] / m;
        return 2 * product.Length * k;
    }
}
