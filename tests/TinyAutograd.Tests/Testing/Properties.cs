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
        ForAll(cases, opCase => GradientChecker.Check(opCase.Name, opCase.Scalarized, opCase.Inputs, tolerance), count);

    /// <summary>The second-order and forward-mode properties of <see cref="SecondOrderChecker"/> hold for every generated case.</summary>
    public static void SecondOrderHolds(Gen<OpCase> cases, SecondOrderTolerances tolerances, int count = DefaultCases) =>
        ForAll(
            from opCase in cases
            from probe in Probe.For(opCase)
            select (opCase, probe),
            pair => SecondOrderChecker.Check(pair.opCase, pair.probe, tolerances),
            count);
}
