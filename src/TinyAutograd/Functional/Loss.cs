using System.Numerics;
using System.Runtime.CompilerServices;
using TinyAutograd.Differentiation;

namespace TinyAutograd;

/// <summary>How a loss combines its per-element (or per-example) terms.</summary>
public enum Reduction
{
    /// <summary>The mean over terms (over examples for the cross-entropies).</summary>
    Mean,

    /// <summary>The sum over terms.</summary>
    Sum,
}

/// <summary>Loss functions, built from the differentiable ops (so they have first and higher derivatives).</summary>
/// <remarks>
/// Every loss refuses prediction and target shapes that differ, instead of silently broadcasting them: a [N] target
/// against [N, 1] predictions is a classic bug that broadcasting would turn into an N×N loss.
/// </remarks>
public static class Loss
{
    /// <summary>Squared error Σ (p − t)² or its mean over elements.</summary>
    /// <remarks>L = Σᵢ (pᵢ − tᵢ)² (or divided by n); ∂L/∂p = 2(p − t) (or divided by n). The ½Σ(f − y)² of many textbooks is 0.5 × the Sum form.</remarks>
    /// <exception cref="ArgumentException">The shapes differ, or the mean is taken over no elements.</exception>
    public static Tensor<T> SquaredError<T>(Tensor<T> prediction, Tensor<T> target, Reduction reduction = Reduction.Mean, [CallerFilePath] string? file = null, [CallerLineNumber] int line = 0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var composite = OpCall.Enter(OpCall.At("SquaredError", file, line));
        RequireSameShape(prediction, target, "SquaredError");
        var squares = (prediction - target).Square();
        return Reduce(squares, reduction, "SquaredError");
    }

    /// <summary>
    /// Cross-entropy of logits [N, C] against integer class labels (N of them, each in [0, C)), optionally with label
    /// smoothing.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Lᵢ = logsumexp(zᵢ) − Σ_c qᵢc·zᵢc (stable for any logits), where the target distribution is
    /// qᵢ = (1 − ε)·onehot(yᵢ) + ε/C; the mean (default) or sum over the N examples. ∂Lᵢ/∂zᵢ = softmax(zᵢ) − qᵢ.
    /// With ε = 0 (the default) this is the plain Lᵢ = logsumexp(zᵢ) − zᵢ,yᵢ.
    /// </para>
    /// <para>
    /// Label smoothing (Szegedy et al. 2016, "Rethinking the Inception Architecture for Computer Vision", §7) keeps
    /// the model from driving its logits apart without bound to fit the training labels exactly; it is PyTorch's
    /// <c>cross_entropy(…, label_smoothing=ε)</c>.
    /// </para>
    /// </remarks>
    /// <param name="logits">The unnormalized log-probabilities [N, C].</param>
    /// <param name="labels">The class of each example.</param>
    /// <param name="reduction">The mean or the sum over the examples.</param>
    /// <param name="labelSmoothing">ε in [0, 1]: the probability mass spread evenly over all C classes.</param>
    /// <param name="file">The caller's file (filled in by the compiler).</param>
    /// <param name="line">The caller's line (filled in by the compiler).</param>
    /// <exception cref="ArgumentException">The logits are not [N, C], the label count is not N, C is 0, or N is 0 with <see cref="Reduction.Mean"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A label is outside [0, C), or ε is outside [0, 1].</exception>
    public static Tensor<T> CrossEntropy<T>(Tensor<T> logits, ReadOnlySpan<int> labels, Reduction reduction = Reduction.Mean, double labelSmoothing = 0,
        [CallerFilePath] string? file = null, [CallerLineNumber] int line = 0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        using var composite = OpCall.Enter(OpCall.At("CrossEntropy", file, line));
        ArgumentNullException.ThrowIfNull(logits);
        if (logits.Rank != 2 || logits.Shape[0] != labels.Length || logits.Shape[1] == 0)
        {
            throw new ArgumentException(
                $"CrossEntropy: expected logits of shape [N, C] with C ≥ 1 and N = {labels.Length} labels; got logits of shape {logits.Shape}.", nameof(logits));
        }
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(labelSmoothing), labelSmoothing,
                $"CrossEntropy: label smoothing {labelSmoothing} is out of range; expected a probability in [0, 1] (0: none).");
        }
        int classes = logits.Shape[1];
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classes)
            {
                throw new ArgumentOutOfRangeException(nameof(labels),
                    $"CrossEntropy: label {labels[i]} of example {i} is out of range; the logits have {classes} classes, so labels must lie in [0, {classes - 1}].");
            }
        }
        // Each row shifted by its largest logit (held constant), which changes nothing in exact arithmetic since the
        // targets of a row sum to 1, but keeps logsumexp(z) − z exact for logits so large that logsumexp rounds to them.
        var shifted = logits - logits.SliceShift(1);
        if (labelSmoothing == 0)
        {
            // Each row's logit at its label, picked directly; its gradient goes back to that entry alone.
            return Reduce(shifted.LogSumExp(1) - shifted.Gather(1, labels).Reshape(labels.Length), reduction, "CrossEntropy");
        }
        T spread = T.CreateChecked(labelSmoothing / classes);
        T onTarget = T.CreateChecked(1 - labelSmoothing) + spread;
        var targetTensor = Tensor<T>.ZerosOf(logits.Shape);
        var targets = targetTensor.Storage;
        targets.AsSpan().Fill(spread);
        for (int i = 0; i < labels.Length; i++)
        {
            targets[i * classes + labels[i]] = onTarget;
        }
        var picked = (shifted * targetTensor).Sum(1);
        return Reduce(shifted.LogSumExp(1) - picked, reduction, "CrossEntropy");
    }

    /// <summary>Cross-entropy of logits [N, C] against target probabilities [N, C] (each row a distribution).</summary>
    /// <remarks>
    /// Lᵢ = −Σ_c tᵢc·log softmax(zᵢ)_c; the mean (default) or sum over examples. ∂Lᵢ/∂zᵢ = softmax(zᵢ)·Σ_c tᵢc − tᵢ and
    /// ∂Lᵢ/∂tᵢ = −log softmax(zᵢ): both operands are differentiable.
    /// </remarks>
    /// <exception cref="ArgumentException">The shapes differ or are not [N, C], or N is 0 with <see cref="Reduction.Mean"/>.</exception>
    public static Tensor<T> CrossEntropy<T>(Tensor<T> logits, Tensor<T> targetProbabilities, Reduction reduction = Reduction.Mean, [CallerFilePath] string? file = null, [CallerLineNumber] int line = 0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(targetProbabilities);
        using var composite = OpCall.Enter(OpCall.At("CrossEntropy", file, line));
        RequireSameShape(logits, targetProbabilities, "CrossEntropy");
        if (logits.Rank != 2)
        {
            throw new ArgumentException($"CrossEntropy: expected logits and targets of shape [N, C]; got {logits.Shape}.", nameof(logits));
        }
        return Reduce(-(targetProbabilities * logits.LogSoftmax(1)).Sum(1), reduction, "CrossEntropy");
    }

    /// <summary>Binary cross-entropy of logits against targets in [0, 1], elementwise, computed stably.</summary>
    /// <remarks>
    /// Lᵢ = −tᵢ log σ(zᵢ) − (1 − tᵢ) log(1 − σ(zᵢ)) = softplus(zᵢ) − tᵢzᵢ, which never takes the log of 0, formed as
    /// softplus(−zᵢ) + (1 − tᵢ)zᵢ where zᵢ ≥ 0 (the same function); ∂Lᵢ/∂zᵢ = σ(zᵢ) − tᵢ, which the backward then
    /// forms as (1 − tᵢ) − σ(−zᵢ). At a large logit with a target near 1 the first form subtracts two terms of size zᵢ
    /// (and its gradient two of size 1) to leave a small result: at z = 30 against t = σ(26) the loss was 1.5336354·10⁻¹⁰
    /// instead of 1.5336431·10⁻¹⁰. The mean (default) or sum over elements.
    /// </remarks>
    /// <exception cref="ArgumentException">The shapes differ, or the mean is taken over no elements.</exception>
    public static Tensor<T> BinaryCrossEntropyWithLogits<T>(Tensor<T> logits, Tensor<T> targets, Reduction reduction = Reduction.Mean, [CallerFilePath] string? file = null, [CallerLineNumber] int line = 0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(targets);
        using var composite = OpCall.Enter(OpCall.At("BinaryCrossEntropyWithLogits", file, line));
        RequireSameShape(logits, targets, "BinaryCrossEntropyWithLogits");
        var nonNegative = logits.Detach().GreaterOrEqual(Tensor.Scalar(T.Zero));
        var terms = Tensor.Where(nonNegative, (-logits).Softplus() + ((1 - targets) * logits), logits.Softplus() - (targets * logits));
        return Reduce(terms, reduction, "BinaryCrossEntropyWithLogits");
    }

    /// <summary>Sums or averages the terms; the mean of no terms (an empty batch) is refused, naming the loss.</summary>
    private static Tensor<T> Reduce<T>(Tensor<T> terms, Reduction reduction, string operation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (reduction == Reduction.Sum)
        {
            return terms.Sum();
        }
        if (terms.Length == 0)
        {
            throw new ArgumentException(
                $"{operation}: Reduction.Mean over zero terms (terms of shape {terms.Shape}: an empty batch) is undefined. " +
                "Skip empty batches, or use Reduction.Sum, whose value over zero terms is 0.", nameof(reduction));
        }
        return terms.Mean();
    }

    private static void RequireSameShape<T>(Tensor<T> prediction, Tensor<T> target, string operation)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(target);
        if (prediction.Shape != target.Shape)
        {
            throw new ArgumentException(
                $"{operation}: the prediction has shape {prediction.Shape} but the target has shape {target.Shape}. Losses do not broadcast; " +
                "reshape one of them so that the shapes are equal.", nameof(target));
        }
    }
}
