using System.Numerics;
using TinyAutograd.Optim;

namespace TinyAutograd.Tests.Optim;

/// <summary>Every optimizer configuration under test, by name, constructible for float and double alike.</summary>
internal static class OptimizerCatalog
{
    public static readonly string[] FirstOrderNames =
    [
        "GradientDescent", "Momentum.Update", "Momentum.Velocity", "Nesterov.LookAhead", "Nesterov.Reformulated",
        "AdaGrad", "RmsProp", "AdaDelta", "Adam", "Adam.AmsGrad", "AdamW",
    ];

    public static readonly string[] SecondOrderNames = ["Lbfgs", "Lbfgs.NoLineSearch", "NewtonCG"];

    public static TheoryData<string> FirstOrder => new(FirstOrderNames);

    /// <summary>The first-order methods whose <c>Step()</c> works from <c>Grad</c> alone (all but Nesterov's look-ahead form).</summary>
    public static TheoryData<string> PlainStep => new([.. FirstOrderNames.Where(name => name != "Nesterov.LookAhead")]);

    public static TheoryData<string> All => new([.. FirstOrderNames, .. SecondOrderNames]);

    /// <summary>Methods that remember nothing between steps (their state round trip is trivially exact).</summary>
    public static bool IsStateless(string name) => name is "GradientDescent" or "NewtonCG";

    public static Optimizer<T> Create<T>(string name, IEnumerable<Tensor<T>> parameters)
        where T : unmanaged, IFloatingPointIeee754<T> => name switch
        {
            "GradientDescent" => new GradientDescent<T>(parameters, new() { LearningRate = 0.1 }),
            "Momentum.Update" => new Momentum<T>(parameters, new() { LearningRate = 0.05, Momentum = 0.9 }),
            "Momentum.Velocity" => new Momentum<T>(parameters, new() { LearningRate = 0.05, Momentum = 0.9, Form = MomentumForm.Velocity }),
            "Nesterov.LookAhead" => new Nesterov<T>(parameters, new() { LearningRate = 0.05, Momentum = 0.9 }),
            "Nesterov.Reformulated" => new Nesterov<T>(parameters, new() { LearningRate = 0.05, Momentum = 0.9, Form = NesterovForm.Reformulated }),
            "AdaGrad" => new AdaGrad<T>(parameters, new() { LearningRate = 0.5 }),
            "RmsProp" => new RmsProp<T>(parameters, new() { LearningRate = 0.01 }),
            "AdaDelta" => new AdaDelta<T>(parameters, new()),
            "Adam" => new Adam<T>(parameters, new() { LearningRate = 0.05 }),
            "Adam.AmsGrad" => new Adam<T>(parameters, new() { LearningRate = 0.05, AmsGrad = true }),
            "AdamW" => new AdamW<T>(parameters, new() { LearningRate = 0.05, WeightDecay = 0.1 }),
            "Lbfgs" => new Lbfgs<T>(parameters, new() { MaxIterations = 2, HistorySize = 3 }),
            "Lbfgs.NoLineSearch" => new Lbfgs<T>(parameters, new() { MaxIterations = 2, HistorySize = 3, LearningRate = 0.2, LineSearch = LineSearch.None }),
            "NewtonCG" => new NewtonCG<T>(parameters),
            _ => throw new ArgumentException($"unknown optimizer '{name}'", nameof(name)),
        };

    /// <summary>One step: the closure form for every method (the base form calls it once, then Step()).</summary>
    public static void Step<T>(Optimizer<T> optimizer, Func<Tensor<T>> loss)
        where T : unmanaged, IFloatingPointIeee754<T> => optimizer.Step(TestProblems.Closure(optimizer, loss));
}
