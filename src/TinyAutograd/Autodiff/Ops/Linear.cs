using System.Runtime.CompilerServices;
using TinyAutograd.Differentiation;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    /// <summary>
    /// The affine map of a linear layer, y = x·Wᵀ + b, with W stored as [out, in] (PyTorch's
    /// <c>torch.nn.functional.linear</c>): <c>y[…, j] = b[j] + Σᵢ x[…, i]·W[j, i]</c> over this tensor's last axis.
    /// </summary>
    /// <remarks>
    /// The same values as <c>x.MatMul(weight, transposeRight: true) + bias</c>, up to rounding, in one pass: the bias is
    /// written into each tile of the product just before the tile's sums are added onto it, where the separate addition
    /// reads and writes the whole output again. ∂L/∂x = G·W, ∂L/∂W = Gᵀ·x (over all leading axes' rows) and
    /// ∂L/∂b = Σ over the rows of G; the tangent is ẋ·Wᵀ + x·Ẇᵀ + ḃ. Without a bias this is
    /// <c>x.MatMul(weight, transposeRight: true)</c>.
    /// </remarks>
    /// <param name="weight">W, [out, in].</param>
    /// <param name="bias">b, [out]; null for none.</param>
    /// <param name="file">The caller's source file, filled in by the compiler.</param>
    /// <param name="line">The caller's line, filled in by the compiler.</param>
    /// <returns>[…, out]: this tensor's leading axes, then the output features ([out] for a vector x).</returns>
    /// <exception cref="ArgumentException">
    /// This tensor is 0-d or its last axis is not <c>in</c>, the weight is not a matrix, or the bias is not a vector of
    /// <c>out</c> values.
    /// </exception>
    public Tensor<T> Linear(Tensor<T> weight, Tensor<T>? bias = null, [CallerFilePath] string? file = null, [CallerLineNumber] int line = 0)
    {
        ArgumentNullException.ThrowIfNull(weight);
        if (weight.Rank != 2)
        {
            throw new ArgumentException($"Linear: weight has shape {weight.Shape}, expected a matrix [out, in].", nameof(weight));
        }
        int outFeatures = weight.Shape[0], inFeatures = weight.Shape[1];
        if (Rank == 0 || Shape[^1] != inFeatures)
        {
            throw new ArgumentException(
                $"Linear: input has shape {Shape}, expected [*, {inFeatures}] to match weight of shape {weight.Shape} ([out, in]).", nameof(weight));
        }
        if (bias is not null && (bias.Rank != 1 || bias.Shape[0] != outFeatures))
        {
            throw new ArgumentException($"Linear: bias has shape {bias.Shape}, expected [{outFeatures}] (one value per output of weight {weight.Shape}).", nameof(bias));
        }
        if (bias is null)
        {
            return MatMul(weight, transposeRight: true, file: file, line: line);
        }
        using var composite = OpCall.Enter(OpCall.At("Linear", file, line));
        var rows = Rank == 1 ? Reshape(1, inFeatures) : this;
        var output = MatMulNode<T>.ApplyLinear(rows, weight, bias);
        return Rank == 1 ? output.Reshape(outFeatures) : output;
    }
}
