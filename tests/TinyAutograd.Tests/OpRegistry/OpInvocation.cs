namespace TinyAutograd.Tests.OpRegistry;

/// <summary>
/// One concrete call of an op: its fixed arguments (axes, shapes, labels, flags, constants) are bound inside
/// <see cref="Apply"/> and <see cref="Reference"/>, and only the differentiable tensor operands remain.
/// </summary>
/// <param name="Text">The call as a reader sees it, e.g. <c>Sum(axes [1], keepDims: True)</c>; messages start with it.</param>
/// <param name="Operands">The shape of each tensor operand; operand 0 has the shape the call was made for.</param>
/// <param name="Apply">The call through the library's public API.</param>
/// <param name="Reference">The same value by a naive loop over doubles, written from the definition, independent of the library's code.</param>
public sealed record OpInvocation(string Text, Shape[] Operands, Func<Tensor<double>[], Tensor<double>> Apply, Func<Tensor<double>[], Tensor<double>> Reference)
{
    /// <summary>
    /// For an op with kinks or ties: values whose signs say on which smooth piece the operands lie (relu's input, a
    /// maximum's difference, each element's gap to its slice's maximum); null for a smooth op. A value of exactly 0
    /// marks an element on the kink that moves with the operands (the maximum of its own slice).
    /// </summary>
    public Func<Tensor<double>[], Tensor<double>>? Kinks { get; init; }

    /// <inheritdoc/>
    public override string ToString() => Text;
}
