namespace TinyAutograd.Examples.Models;

/// <summary>
/// A loss of two parameters, for watching optimizers move on its contour map: the function, the window to draw,
/// where the optimizers start, and the lowest value it can take.
/// </summary>
internal sealed class Surface
{
    public required string Name { get; init; }

    public required string Title { get; init; }

    /// <summary>The loss at many points at once: given same-shaped [n] tensors of the two coordinates, returns the [n] values.</summary>
    public required Func<Tensor<double>, Tensor<double>, Tensor<double>> Function { get; init; }

    public required (double Low, double High) XRange { get; init; }

    public required (double Low, double High) YRange { get; init; }

    public required (double X, double Y) Start { get; init; }

    /// <summary>The global minimum's value, so that "distance to the optimum" can be measured.</summary>
    public required double MinimumValue { get; init; }

    public string XLabel { get; init; } = "x";

    public string YLabel { get; init; } = "y";

    /// <summary>The loss at one point θ = (x, y), given as a [2] tensor; differentiable in θ.</summary>
    public Tensor<double> Loss(Tensor<double> theta) => Function(theta.Slice(0, 0, 1), theta.Slice(0, 1, 1)).Sum();

    /// <summary>The loss at one point, as a number.</summary>
    public double ValueAt(double x, double y) => Function(Tensor.FromArray([x], 1), Tensor.FromArray([y], 1)).ToScalar();

    /// <summary>The loss on a <paramref name="resolution"/>² grid over the window, evaluated in one batched call.</summary>
    public SurfaceGrid Sample(int resolution)
    {
        var xs = Enumerable.Range(0, resolution).Select(i => XRange.Low + (XRange.High - XRange.Low) * i / (resolution - 1)).ToArray();
        var ys = Enumerable.Range(0, resolution).Select(j => YRange.Low + (YRange.High - YRange.Low) * j / (resolution - 1)).ToArray();
        var gridX = new double[resolution * resolution];
        var gridY = new double[resolution * resolution];
        for (int j = 0; j < resolution; j++)
        {
            for (int i = 0; i < resolution; i++)
            {
                gridX[j * resolution + i] = xs[i];
                gridY[j * resolution + i] = ys[j];
            }
        }
        Tensor<double> values;
        using (GradMode.Disable())
        {
            values = Function(Tensor.FromArray(gridX, gridX.Length), Tensor.FromArray(gridY, gridY.Length));
        }
        var grid = new double[resolution, resolution];
        for (int j = 0; j < resolution; j++)
        {
            for (int i = 0; i < resolution; i++)
            {
                grid[j, i] = values.Data[j * resolution + i];
            }
        }
        return new SurfaceGrid(xs, ys, grid);
    }
}
