using System.Globalization;

namespace TinyAutograd.Tests.Fuzzing;

/// <summary>Evaluates and prints the operations of a fuzz program.</summary>
internal static class FuzzInterpreter
{
    /// <summary>
    /// Computes <paramref name="step"/> from the values before it: each operand mapped into the op's domain, then the
    /// registered call; the sides of the call's kinks (and a sine's or cosine's arguments) go into
    /// <paramref name="signature"/>, and
    /// <paramref name="allFinite"/> turns false if a mapped operand is out of <see cref="FuzzProgram.IsInRange"/> (x² + ½
    /// of a finite x beyond 10¹⁵⁴ is ∞: the op's value can still be finite, 1/∞ = 0, while its derivatives meet 0·∞).
    /// </summary>
    public static Tensor<double> Apply(FuzzStep step, Tensor<double>[] values, FuzzSignature? signature, ref bool allFinite)
    {
        var op = step.Op!;
        var call = step.Call!;
        var operands = step.Operands.Select((value, i) => op.DomainOf(i).FromReal(values[value])).ToArray();
        foreach (var operand in operands)
        {
            foreach (double value in operand.Data)
            {
                allFinite &= FuzzProgram.IsInRange(value);
            }
        }
        if (signature is not null && op.Name is "Sin" or "Cos")
        {
            signature.AddPeriodicArguments(operands[0].Data);
        }
        if (signature is not null && call.Kinks is { } kinks)
        {
            using var unrecorded = GradMode.Disable();
            signature.AddSigns(kinks(operands).Data);
        }
        return call.Apply(operands);
    }

    /// <summary>The step as a line of the program listing, e.g. <c>Log() on [2] of (softplus(v1) + 0.5) -> [2]</c>.</summary>
    public static string Describe(FuzzStep step)
    {
        var op = step.Op!;
        var operands = step.Operands.Select((value, i) => op.DomainOf(i).Mapped($"v{value}"));
        return $"{step.Call!.Text} of ({string.Join(", ", operands)}) -> {step.Result}";
    }

    /// <summary>A double in round-trip form.</summary>
    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
