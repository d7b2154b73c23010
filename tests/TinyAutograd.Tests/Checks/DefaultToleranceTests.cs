using System.Globalization;
using TinyAutograd.Checks;
using Xunit.Abstractions;

namespace TinyAutograd.Tests.Checks;

/// <summary>
/// The default tolerances (atol 1e-8, rtol 1e-6, with Richardson finite differences) measured over the library's ops at
/// seeded random points inside each op's domain: first and second derivatives must pass, and the worst element must use
/// less than a thousandth of its tolerance. The printed table is where the documented margins come from.
/// </summary>
public class DefaultToleranceTests(ITestOutputHelper output)
{
    private static Tensor<double> Uniform(ulong seed, double low, double high, params int[] shape) => new RandomSource(seed).Uniform<double>(shape, low, high);

    private static Tensor<double> AwayFromZero(ulong seed, params int[] shape)
    {
        var magnitudes = Uniform(seed, 0.2, 3, shape).ToArray();
        var coins = Uniform(seed + 100, 0, 1, shape).ToArray();
        return Tensor.FromArray([.. magnitudes.Select((m, i) => coins[i] < 0.5 ? -m : m)], shape);
    }

    /// <summary>(op, function of its inputs, inputs): elementwise, broadcasting, reductions, shape ops, matrix product.</summary>
    public static TheoryData<string> Ops => [.. Cases().Select(c => c.Name)];

    private static IEnumerable<(string Name, Func<Tensor<double>[], Tensor<double>> Function, Tensor<double>[] Inputs)> Cases()
    {
        var general = Uniform(1, -2, 2, 3, 4);
        var positive = Uniform(2, 0.5, 3, 3, 4);
        var row = Uniform(3, -2, 2, 4);
        var column = Uniform(4, 0.5, 3, 3, 1);
        yield return ("Exp", x => x[0].Exp(), [general]);
        yield return ("Log", x => x[0].Log(), [positive]);
        yield return ("Sqrt", x => x[0].Sqrt(), [positive]);
        yield return ("Tanh", x => x[0].Tanh(), [general]);
        yield return ("Sigmoid", x => x[0].Sigmoid(), [general]);
        yield return ("Softplus", x => x[0].Softplus(), [general]);
        yield return ("Square", x => x[0].Square(), [general]);
        yield return ("Reciprocal", x => x[0].Reciprocal(), [AwayFromZero(5, 3, 4)]);
        yield return ("Abs", x => x[0].Abs(), [AwayFromZero(6, 3, 4)]);
        yield return ("Relu", x => x[0].Relu(), [AwayFromZero(7, 3, 4)]);
        yield return ("Pow(2.5)", x => x[0].Pow(2.5), [positive]);
        yield return ("Pow", x => x[0].Pow(x[1]), [positive, Uniform(8, -2, 2, 4)]);
        yield return ("Add", x => x[0] + x[1], [general, row]);
        yield return ("Subtract", x => x[0] - x[1], [general, column]);
        yield return ("Multiply", x => x[0] * x[1], [general, row]);
        yield return ("Divide", x => x[0] / x[1], [general, column]);
        yield return ("Maximum", x => x[0].Maximum(x[1]), [general, general + AwayFromZero(9, 3, 4)]);
        yield return ("Sum(1)", x => x[0].Sum(1), [general]);
        yield return ("Mean(0)", x => x[0].Mean(0), [general]);
        yield return ("Max(1)", x => x[0].Max(1), [Tensor.FromArray([0.3, -1.2, 2.2, 0.9, -0.4, 1.7, 0.1, -2.0, 1.1, 2.6, -0.8, 0.5], 3, 4)]);
        yield return ("LogSumExp(1)", x => x[0].LogSumExp(1), [general]);
        yield return ("Softmax", x => x[0].Softmax(), [general]);
        yield return ("LogSoftmax", x => x[0].LogSoftmax(), [general]);
        yield return ("MatMul", x => x[0].MatMul(x[1]), [general, Uniform(10, -2, 2, 4, 2)]);
        yield return ("Permute", x => x[0].Permute(1, 0) * Uniform(11, -1, 1, 4, 3), [general]);
        yield return ("Reshape", x => x[0].Reshape(2, 6).Square(), [general]);
        yield return ("Slice", x => x[0].Slice(1, 1, 2).Exp(), [general]);
        yield return ("Concatenate", x => Tensor<double>.Concatenate(0, x[0], x[1].Reshape(1, 4)).Tanh(), [general, row]);
        yield return ("BroadcastTo", x => x[0].BroadcastTo(new Shape(3, 4)) * general, [row]);
        yield return ("IndexSelect", x => x[0].IndexSelect(1, [2, 0, 2]).Square(), [general]);
        yield return ("Where", x => Tensor<double>.Where(Tensor.FromArray([1.0, 0, 1, 0], 4), x[0], x[1]).Exp(), [row, Uniform(12, -2, 2, 4)]);
        yield return ("CrossEntropy", x => Loss.CrossEntropy(x[0], [1, 3, 0]), [general]);
    }

    [Theory]
    [MemberData(nameof(Ops))]
    public void FirstAndSecondDerivativesPassTheDefaultsWithRoomToSpare(string name)
    {
        var (_, function, inputs) = Cases().Single(c => c.Name == name);

        var first = GradCheck.Run(function, inputs);
        var second = GradGradCheck.Run(function, inputs);

        Assert.True(first.Passed, first.ToString());
        Assert.True(second.Passed, second.ToString());
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: first order worst error {first.Worst!.Error:G2} ({first.Worst.Ratio:G2} of tolerance), second order {second.Worst!.Error:G2} ({second.Worst.Ratio:G2})"));
        Assert.True(first.Worst.Ratio < 1e-3 && second.Worst.Ratio < 1e-3, $"{first}\n{second}");
    }
}
