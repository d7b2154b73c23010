using System.Runtime.CompilerServices;

namespace TinyAutograd;

/// <summary>Null checks that fit where <see cref="ArgumentNullException.ThrowIfNull(object?, string?)"/> does not: in expressions (property initializers) and over the elements of a list.</summary>
internal static class Argument
{
    /// <summary><paramref name="value"/>, unless it is null.</summary>
    /// <exception cref="ArgumentNullException">The value is null; the exception names <paramref name="name"/>.</exception>
    public static TValue NotNull<TValue>(TValue? value, [CallerArgumentExpression(nameof(value))] string? name = null)
        where TValue : class =>
        value ?? throw new ArgumentNullException(name);

    /// <summary>Checks that <paramref name="items"/> and each of its elements are not null.</summary>
    /// <param name="items">The list to check.</param>
    /// <param name="operation">The operation, for the message.</param>
    /// <param name="name">The parameter's name.</param>
    /// <exception cref="ArgumentNullException">The list or one of its elements is null; the message gives the element's position.</exception>
    public static void ThrowIfAnyNull<TItem>(IReadOnlyList<TItem?> items, string operation, [CallerArgumentExpression(nameof(items))] string? name = null)
        where TItem : class
    {
        ArgumentNullException.ThrowIfNull(items, name);
        for (int i = 0; i < items.Count; i++)
        {
            if (items[i] is null)
            {
                throw new ArgumentNullException(name, $"{operation}: {name}[{i}] is null.");
            }
        }
    }
}
