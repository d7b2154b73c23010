using System.Numerics;

namespace TinyAutograd.Optim;

/// <summary>Runs an optimizer's closure the same way everywhere.</summary>
internal static class Closure
{
    /// <summary>Calls <paramref name="closure"/> with gradient recording on and checks that it returned a scalar loss.</summary>
    /// <exception cref="InvalidOperationException">The closure returned null or a tensor that is not a single element.</exception>
    public static Tensor<T> Invoke<T>(Func<Tensor<T>> closure, string method)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(closure);
        Tensor<T> loss;
        using (GradMode.Enable())
        {
            loss = closure();
        }
        if (loss is null || loss.Length != 1)
        {
            throw new InvalidOperationException(
                $"{method}.Step: the closure returned {(loss is null ? "null" : loss.Describe())}; it must return the scalar loss after calling Backward on it.");
        }
        return loss;
    }
}
