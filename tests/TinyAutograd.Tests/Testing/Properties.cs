using FsCheck;
using FsCheck.Fluent;

namespace TinyAutograd.Tests.Testing;

/// <summary>Runs FsCheck properties with a fixed number of cases, throwing (with the counterexample) on failure.</summary>
public static class Properties
{
    /// <summary>The default number of random cases per property: enough to meet every shape class, small enough to stay fast.</summary>
    public const int DefaultCases = 100;

    /// <summary>Checks that <paramref name="property"/> does not throw for <paramref name="cases"/> values drawn from <paramref name="generator"/>.</summary>
    public static void ForAll<T>(Gen<T> generator, Action<T> property, int cases = DefaultCases) =>
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(cases), Prop.ForAll(Arb.From(generator), property));

    /// <summary>The op's reverse-mode gradient matches central finite differences for every generated case.</summary>
    public static void GradientMatchesFiniteDifferences(Gen<OpCase> cases, Tolerance tolerance, int count = DefaultCases) =>
        ForAll(cases, opCase => GradientMatchesFiniteDifferences(opCase, tolerance), count);

    /// <summary>The case's reverse-mode gradient matches central finite differences (throws with the worst element otherwise).</summary>
    public static void GradientMatchesFiniteDifferences(OpCase opCase, Tolerance tolerance) =>
        GradientChecker.Check(opCase.Name, opCase.Scalarized, opCase.Inputs, tolerance);

    /// <summary>The second-order and forward-mode properties of <see cref="SecondOrderChecker"/> hold for every generated case.</summary>
    public static void SecondOrderHolds(Gen<OpCase> cases, SecondOrderTolerances tolerances, int count = DefaultCases) =>
        ForAll(WithProbes(cases), pair => SecondOrderChecker.Check(pair.Case, pair.Probe, tolerances), count);

    /// <summary>Each generated case with a random probe for the second-order checks.</summary>
    public static Gen<(OpCase Case, Probe Probe)> WithProbes(Gen<OpCase> cases) =>
        from opCase in cases
        from probe in Probe.For(opCase)
        select (opCase, probe);
}
