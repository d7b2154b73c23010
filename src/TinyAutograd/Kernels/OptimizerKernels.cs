using System.Numerics;
using System.Numerics.Tensors;
using TinyAutograd.Kernels.Elementwise;

namespace TinyAutograd.Kernels;

/// <summary>Optimizer updates fused into one pass over memory.</summary>
internal static class OptimizerKernels
{
    /// <summary>
    /// One Adam step in a single pass: s ← β₁s + (1 − β₁)g; r ← β₂r + (1 − β₂)g²; with AMSGrad r_max ← max(r_max, r)
    /// and m = r_max, else m = r; θ ← θ − η (s/c₁) / (√(m/c₂) + δ), where c₁ = 1 − β₁ᵗ and c₂ = 1 − β₂ᵗ.
    /// <paramref name="maximum"/> is r_max for AMSGrad, or empty to use r. Large parameters are split into ranges over
    /// the cores (<see cref="ParallelRanges"/>); each element's update is the same whatever range runs it.
    /// </summary>
    public static unsafe void AdamStep<T>(Span<T> parameter, ReadOnlySpan<T> gradient, Span<T> firstMoment, Span<T> secondMoment, Span<T> maximum, AdamCoefficients<T> c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Read g, s, r, θ (and r_max), write s, r, θ (and r_max); the square root and division weigh as one special
        // function of a map (Zen 4, one core: 0.55 ns per float wherever the operands sit, about σ's cost), so the MLP's
        // 256×256 weight splits too: its Adam step on 2 threads 3.4–4.2% faster (one process alternating both weights).
        int bytesPerElement = ((maximum.IsEmpty ? 7 : 9) * sizeof(T)) + ElementwiseLoops.SpecialFunctionBytes;
        fixed (T* p = parameter, g = gradient, s = firstMoment, r = secondMoment, m = maximum)
        {
            ParallelRanges.Run(new AdamRange<T>(p, g, s, r, m, c), parameter.Length, ParallelRanges.Count(parameter.Length, bytesPerElement));
        }
    }

    /// <summary>
    /// x ← x + a·v (<paramref name="target"/> = x, <paramref name="values"/> = v, <paramref name="scale"/> = a), each
    /// element as <see cref="TensorPrimitives.MultiplyAdd{T}(ReadOnlySpan{T}, T, ReadOnlySpan{T}, Span{T})"/> computes
    /// it: a gradient-descent step θ ← θ + (−η)·g, and the other optimizers' vector updates. Large vectors are split into
    /// ranges over the cores (<see cref="ParallelRanges"/>), each run in calls that leave x in the caches for whatever
    /// reads it next (<see cref="CachedCalls{T, TKernel}"/>). <paramref name="values"/> may be <paramref name="target"/>
    /// itself (AdamW's decoupled decay).
    /// </summary>
    public static unsafe void AddScaled<T>(Span<T> target, ReadOnlySpan<T> values, T scale)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Read v and x, write x.
        fixed (T* x = target, v = values)
        {
            ParallelRanges.Run(
                new CachedCalls<T, AddScaledRange<T>>(new AddScaledRange<T>(x, v, scale), target.Length),
                target.Length,
                ParallelRanges.Count(target.Length, 3 * sizeof(T)));
        }
    }

    /// <summary>The Adam step on one range of elements (<paramref name="maximum"/> empty without AMSGrad).</summary>
    internal static void AdamSpan<T>(Span<T> parameter, ReadOnlySpan<T> gradient, Span<T> firstMoment, Span<T> secondMoment, Span<T> maximum, AdamCoefficients<T> c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool amsGrad = !maximum.IsEmpty;
        int i = 0;
        if (Vector.IsHardwareAccelerated && parameter.Length >= Vector<T>.Count)
        {
            var beta1 = new Vector<T>(c.Beta1);
            var oneMinusBeta1 = new Vector<T>(c.OneMinusBeta1);
            var beta2 = new Vector<T>(c.Beta2);
            var oneMinusBeta2 = new Vector<T>(c.OneMinusBeta2);
            var firstCorrection = new Vector<T>(c.FirstCorrection);
            var secondCorrection = new Vector<T>(c.SecondCorrection);
            var delta = new Vector<T>(c.Delta);
            var negativeRate = new Vector<T>(c.NegativeLearningRate);
            for (; i <= parameter.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var g = new Vector<T>(gradient[i..]);
                var s = new Vector<T>(firstMoment[i..]) * beta1 + g * oneMinusBeta1;
                var r = new Vector<T>(secondMoment[i..]) * beta2 + g * g * oneMinusBeta2;
                s.CopyTo(firstMoment[i..]);
                r.CopyTo(secondMoment[i..]);
                if (amsGrad)
                {
                    r = Vector.Max(new Vector<T>(maximum[i..]), r);
                    r.CopyTo(maximum[i..]);
                }
                var ratio = s / firstCorrection / (Vector.SquareRoot(r / secondCorrection) + delta);
                (ratio * negativeRate + new Vector<T>(parameter[i..])).CopyTo(parameter[i..]);
            }
        }
        for (; i < parameter.Length; i++)
        {
            T g = gradient[i];
            T s = firstMoment[i] * c.Beta1 + g * c.OneMinusBeta1;
            T r = secondMoment[i] * c.Beta2 + g * g * c.OneMinusBeta2;
            firstMoment[i] = s;
            secondMoment[i] = r;
            if (amsGrad)
            {
                r = T.Max(maximum[i], r);
                maximum[i] = r;
            }
            parameter[i] = s / c.FirstCorrection / (T.Sqrt(r / c.SecondCorrection) + c.Delta) * c.NegativeLearningRate + parameter[i];
        }
    }
}

/// <summary>One range of <see cref="OptimizerKernels.AdamStep{T}"/>; <c>maximum</c> is null without AMSGrad.</summary>
internal readonly unsafe struct AdamRange<T>(T* parameter, T* gradient, T* firstMoment, T* secondMoment, T* maximum, AdamCoefficients<T> coefficients) : IRangeKernel
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public void Run(int start, int end, int range)
    {
        int length = end - start;
        OptimizerKernels.AdamSpan(new Span<T>(parameter + start, length), new ReadOnlySpan<T>(gradient + start, length),
            new Span<T>(firstMoment + start, length), new Span<T>(secondMoment + start, length),
            maximum == null ? [] : new Span<T>(maximum + start, length), coefficients);
    }
}

/// <summary>The scalars of one Adam step, converted to the element type once.</summary>
internal readonly record struct AdamCoefficients<T>(T Beta1, T OneMinusBeta1, T Beta2, T OneMinusBeta2, T FirstCorrection, T SecondCorrection, T Delta, T NegativeLearningRate);

/// <summary>One range of <see cref="OptimizerKernels.AddScaled{T}"/>.</summary>
internal readonly unsafe struct AddScaledRange<T>(T* target, T* values, T scale) : IRangeKernel
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public void Run(int start, int end, int range)
    {
        var x = new Span<T>(target + start, end - start);
        TensorPrimitives.MultiplyAdd(new ReadOnlySpan<T>(values + start, end - start), scale, x, x);
    }
}
