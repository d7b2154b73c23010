using System.Numerics;

namespace TinyAutograd.Benchmarks.Workloads;

/// <summary>
/// Layer normalization over the last axis as one custom operation: y = x̂·γ + β with x̂ = (x − μ)·r and
/// r = 1/√(σ² + ε), μ and σ² the mean and variance of each row. The forward saves x̂ and r; one backward call returns
/// the gradients of x, γ and β.
/// </summary>
/// <remarks>
/// With g = ∂L/∂y and ĝ = g·γ: ∂L/∂β = Σ_rows g, ∂L/∂γ = Σ_rows g·x̂, ∂L/∂x = r·(ĝ − mean(ĝ) − x̂·mean(ĝ·x̂)), the means
/// taken along each row (Ba, Kiros and Hinton, "Layer Normalization", 2016). When the backward is differentiated again,
/// x̂ and r are recomputed from x with differentiable ops, so second derivatives see them move.
/// </remarks>
internal sealed class CustomLayerNorm<T>(double epsilon = 1e-5) : CustomOperation<T>("LayerNorm")
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The same function composed of built-in ops (the reference, and the composite it competes with).</summary>
    public static Tensor<T> Composite(Tensor<T> x, Tensor<T> gamma, Tensor<T> beta, double epsilon = 1e-5)
    {
        var centered = x - x.Mean(-1, keepDims: true);
        var normalized = centered * (centered.Square().Mean(-1, keepDims: true) + epsilon).Sqrt().Reciprocal();
        return normalized * gamma + beta;
    }

    protected override Tensor<T> Forward(IReadOnlyList<Tensor<T>> inputs)
    {
        var x = inputs[0];
        int width = x.Shape[^1], rows = x.Length / width;
        var normalized = Tensor.Zeros<T>(x.Shape.ToArray());
        var reciprocal = Tensor.Zeros<T>([.. x.Shape.Dimensions[..^1], 1]);
        var y = Tensor.Zeros<T>(x.Shape.ToArray());
        var source = x.Data;
        var gamma = inputs[1].Data;
        var beta = inputs[2].Data;
        var xHat = normalized.GetSpanForWrite();
        var r = reciprocal.GetSpanForWrite();
        var output = y.GetSpanForWrite();
        T count = T.CreateChecked(width);
        for (int row = 0; row < rows; row++)
        {
            var values = source.Slice(row * width, width);
            T mean = T.Zero, variance = T.Zero;
            foreach (var value in values)
            {
                mean += value;
            }
            mean /= count;
            foreach (var value in values)
            {
                variance += (value - mean) * (value - mean);
            }
            r[row] = T.One / T.Sqrt(variance / count + T.CreateChecked(epsilon));
            for (int i = 0; i < width; i++)
            {
                T hat = (values[i] - mean) * r[row];
                xHat[row * width + i] = hat;
                output[row * width + i] = hat * gamma[i] + beta[i];
            }
        }
        SaveForBackward(normalized, reciprocal);
        return y;
    }

    protected override IReadOnlyList<Tensor<T>?> Backward(CustomBackward<T> context)
    {
        var (x, gamma) = (context.Inputs[0], context.Inputs[1]);
        var g = context.OutputGradient;
        Tensor<T> normalized, reciprocal;
        if (context.IsDifferentiated)
        {
            var centered = x - x.Mean(-1, keepDims: true);
            reciprocal = (centered.Square().Mean(-1, keepDims: true) + epsilon).Sqrt().Reciprocal();
            normalized = centered * reciprocal;
        }
        else
        {
            (normalized, reciprocal) = (context.Saved[0], context.Saved[1]);
        }
        int[] rows = [.. Enumerable.Range(0, x.Rank - 1)];
        Tensor<T>? dx = null;
        if (context.NeedsGradient(0))
        {
            var scaled = g * gamma;
            dx = reciprocal * (scaled - scaled.Mean(-1, keepDims: true) - normalized * (scaled * normalized).Mean(-1, keepDims: true));
        }
        return [
            dx,
            context.NeedsGradient(1) ? (g * normalized).Sum(rows) : null,
            context.NeedsGradient(2) ? g.Sum(rows) : null,
        ];
    }
}
