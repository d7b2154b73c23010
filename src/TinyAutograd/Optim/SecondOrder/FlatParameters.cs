using System.Numerics;

namespace TinyAutograd.Optim;

/// <summary>
/// All parameters of an optimizer seen as one vector of length n (concatenated in order), as the second-order methods
/// need: read and write θ, gather ∇L, and evaluate Hessian-vector products through the closure.
/// </summary>
internal sealed class FlatParameters<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly IReadOnlyList<Tensor<T>> _parameters;
    private readonly string _method;

    public FlatParameters(IReadOnlyList<Tensor<T>> parameters, string method)
    {
        _parameters = parameters;
        _method = method;
        Length = parameters.Sum(parameter => parameter.Length);
    }

    /// <summary>n, the total number of parameter elements.</summary>
    public int Length { get; }

    /// <summary>Copies θ into <paramref name="destination"/>.</summary>
    public void Read(Span<T> destination)
    {
        int offset = 0;
        foreach (var parameter in _parameters)
        {
            parameter.Data.CopyTo(destination.Slice(offset, parameter.Length));
            offset += parameter.Length;
        }
    }

    /// <summary>Overwrites θ with <paramref name="values"/> (in place, bumping each parameter's version).</summary>
    public void Write(ReadOnlySpan<T> values)
    {
        using var noRecording = GradMode.Disable();
        int offset = 0;
        foreach (var parameter in _parameters)
        {
            values.Slice(offset, parameter.Length).CopyTo(parameter.GetSpanForWrite());
            offset += parameter.Length;
        }
    }

    /// <summary>Calls the closure and copies ∇L into <paramref name="gradient"/> (zeros for a parameter without <c>Grad</c>).</summary>
    /// <returns>The loss tensor and its value as a double.</returns>
    public (Tensor<T> Loss, double Value) Evaluate(Func<Tensor<T>> closure, Span<T> gradient)
    {
        var loss = Closure.Invoke(closure, _method);
        int offset = 0;
        foreach (var parameter in _parameters)
        {
            var slice = gradient.Slice(offset, parameter.Length);
            if (parameter.Grad is { } grad)
            {
                grad.Data.CopyTo(slice);
            }
            else
            {
                slice.Clear();
            }
            offset += parameter.Length;
        }
        return (loss, double.CreateTruncating(loss.ToScalar()));
    }

    /// <summary>
    /// The exact Hessian-vector product ∇²L(θ)·v, forward-over-reverse through the closure: each parameter carries its
    /// slice of v as a forward-mode tangent while the closure runs its forward and backward passes, so every gradient
    /// the closure leaves in <c>Grad</c> carries the tangent (∇²L·v) for its parameter.
    /// </summary>
    public void HessianVectorProduct(Func<Tensor<T>> closure, ReadOnlySpan<T> vector, Span<T> product)
    {
        try
        {
            int offset = 0;
            foreach (var parameter in _parameters)
            {
                parameter.Tangent = new Tensor<T>(parameter.Shape, vector.Slice(offset, parameter.Length).ToArray());
                offset += parameter.Length;
            }
            Closure.Invoke(closure, _method);
            offset = 0;
            foreach (var parameter in _parameters)
            {
                var slice = product.Slice(offset, parameter.Length);
                if (parameter.Grad?.Tangent is { } tangent)
                {
                    tangent.Data.CopyTo(slice);
                }
                else
                {
                    slice.Clear();
                }
                offset += parameter.Length;
            }
        }
        finally
        {
            foreach (var parameter in _parameters)
            {
                parameter.Tangent = null;
                if (parameter.Grad is { } grad)
                {
                    grad.Tangent = null;
                }
            }
        }
    }
}
