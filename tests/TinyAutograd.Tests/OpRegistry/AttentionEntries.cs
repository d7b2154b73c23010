using FsCheck;
using FsCheck.Fluent;
using TinyAutograd.Tests.Testing;

namespace TinyAutograd.Tests.OpRegistry;

/// <summary>The registry entries of the composites with a mask: scaled dot-product attention and dropout.</summary>
internal static class AttentionEntries
{
    public static IEnumerable<OpInfo> All()
    {
        yield return new OpInfo("ScaledDotProductAttention", ["Tensor.ScaledDotProductAttention(Tensor<T>, Tensor<T>, Tensor<T>, Tensor<T>, bool, double, RandomSource, Nullable<double>)"],
            [Domain.General, Domain.General, Domain.General], AttentionCalls)
        {
            MinRank = 2,
            MaxRank = 3,
            // Softmax-weighted sums of at most 4 values of |v| ≤ 3 after exp/log of scores up to 18: a few ulps of 18 and of 3.
            ForwardTolerance = new Tolerance(1e-13, 1e-13),
            // Without a mask the plain backward is the fused node's (blocks of rows, the scale folded into the exponent),
            // the recorded one tensor ops over recomputed weights: sums of up to 65 products apart, a few ulps of the largest.
            PlainBackwardRelativeError = 1e-13,
        };
        yield return new OpInfo("Dropout", ["Tensor<T>.Dropout(double, RandomSource)"], [Domain.General], DropoutCalls);
    }

    /// <summary>Queries of the given shape [*, Lq, d] against keys [*, Lk, d] and values [*, Lk, dv], with or without the causal flag.</summary>
    private static Gen<OpInvocation> AttentionCalls(Shape query) =>
        from keys in Gen.Choose(1, Shapes.MaxSize)
        from valueDepth in Gen.Choose(1, Shapes.MaxSize)
        from causal in Gen.Elements(false, true)
        let batch = query.Dimensions[..^2].ToArray()
        let key = new Shape([.. batch, keys, query[^1]])
        let value = new Shape([.. batch, keys, valueDepth])
        select new OpInvocation($"ScaledDotProductAttention {query}, {key}, {value} (causal: {causal})", [query, key, value],
            xs => Tensor.ScaledDotProductAttention(xs[0], xs[1], xs[2], causal: causal),
            xs => NaiveAttention(xs[0], xs[1], xs[2], causal));

    /// <summary>Dropout with a generator seeded afresh at every call, so the call is a fixed function of its input.</summary>
    private static Gen<OpInvocation> DropoutCalls(Shape shape) =>
        from p in Gen.Elements(0.0, 0.25, 0.5)
        from seed in Gen.Choose(0, 1000)
        select new OpInvocation($"Dropout p={p} seed {seed} on {shape}", [shape],
            xs => xs[0].Dropout(p, new RandomSource((ulong)seed)),
            xs => NaiveDropout(xs[0], p, new RandomSource((ulong)seed)));

    /// <summary>xᵢ·mᵢ with mᵢ = 0 when the i-th uniform draw is below p, else 1/(1 − p).</summary>
    private static Tensor<double> NaiveDropout(Tensor<double> x, double p, RandomSource random) =>
        NdIndex.TensorOf(x.Shape, [.. x.ToArray().Select(v => p == 0 ? v : random.NextDouble() < p ? 0 : v * (1 / (1 - p)))]);

    /// <summary>Per batch and query: scores q·k/√d, a softmax over the keys it may see, and the weighted sum of the values.</summary>
    private static Tensor<double> NaiveAttention(Tensor<double> q, Tensor<double> k, Tensor<double> v, bool causal)
    {
        var (queries, depth, keys, valueDepth) = (q.Shape[^2], q.Shape[^1], k.Shape[^2], v.Shape[^1]);
        int batches = q.Length / (queries * depth);
        var (qs, ks, vs) = (q.ToArray(), k.ToArray(), v.ToArray());
        var output = new double[batches * queries * valueDepth];
        for (int b = 0; b < batches; b++)
        {
            for (int i = 0; i < queries; i++)
            {
                int visible = causal ? Math.Min(i + 1, keys) : keys;
                var scores = new double[visible];
                for (int j = 0; j < visible; j++)
                {
                    for (int c = 0; c < depth; c++)
                    {
                        scores[j] += qs[(b * queries + i) * depth + c] * ks[(b * keys + j) * depth + c];
                    }
                    scores[j] /= Math.Sqrt(depth);
                }
                double max = scores.Max();
                double total = scores.Sum(s => Math.Exp(s - max));
                for (int j = 0; j < visible; j++)
                {
                    for (int c = 0; c < valueDepth; c++)
                    {
                        output[(b * queries + i) * valueDepth + c] += Math.Exp(scores[j] - max) / total * vs[(b * keys + j) * valueDepth + c];
                    }
                }
            }
        }
        return NdIndex.TensorOf(new Shape([.. q.Shape.Dimensions[..^1].ToArray(), valueDepth]), output);
    }
}
