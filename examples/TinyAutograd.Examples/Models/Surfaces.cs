namespace TinyAutograd.Examples.Models;

/// <summary>The three surfaces the optimizers race on.</summary>
internal static class Surfaces
{
    /// <summary>The sigmoid neuron's error surface L(w, b): a plateau, a steep wall and a long curved valley.</summary>
    public static Surface SigmoidNeuronError { get; } = new()
    {
        Name = "sigmoid",
        Title = "Sigmoid neuron error surface L(w, b)",
        Function = SigmoidNeuron.Loss,
        XRange = (-4, 4),
        YRange = (-4, 4),
        Start = (-2, 2),
        MinimumValue = 0,
        XLabel = "w",
        YLabel = "b",
    };

    /// <summary>
    /// An ill-conditioned valley: ½(u² + 25v²) in coordinates (u, v) rotated 30° from (x, y). Its contours are long
    /// thin ellipses; the curvature is 25 times larger across the valley than along it, and not along the axes (so
    /// per-coordinate step sizes cannot undo it).
    /// </summary>
    public static Surface Valley { get; } = new()
    {
        Name = "valley",
        Title = "Ill-conditioned valley ½(u² + 25 v²), rotated 30°",
        Function = (x, y) =>
        {
            double cos = Math.Cos(Math.PI / 6), sin = Math.Sin(Math.PI / 6);
            var u = cos * x + sin * y;
            var v = cos * y - sin * x;
            return 0.5 * (u.Square() + 25.0 * v.Square());
        },
        XRange = (-5, 5),
        YRange = (-3.5, 3.5),
        Start = (-4.5, 0.5),
        MinimumValue = 0,
    };

    /// <summary>
    /// A saddle between two shallow valleys: 0.1(x² − 1)² + ½y². The origin is a saddle point (flat, curving gently
    /// down along x), the minima sit at (±1, 0). Starting almost on the ridge x = 0, plain gradient descent slides
    /// into the saddle and lingers there, because the gradient that would push it off is tiny.
    /// </summary>
    public static Surface Saddle { get; } = new()
    {
        Name = "saddle",
        Title = "Saddle between two valleys 0.1(x² − 1)² + ½ y²",
        Function = (x, y) => 0.1 * (x.Square() - 1.0).Square() + 0.5 * y.Square(),
        XRange = (-1.6, 1.6),
        YRange = (-1.2, 2.2),
        Start = (1e-4, 2),
        MinimumValue = 0,
    };

    public static IReadOnlyList<Surface> All { get; } = [SigmoidNeuronError, Valley, Saddle];
}
