using TinyAutograd.Optim;

namespace TinyAutograd.Tests.Optim;

/// <summary>
/// A parameter larger than one cached TensorPrimitives call (256 KiB) is updated range by range; every element must
/// still be updated exactly once, with the bits it gets in a parameter small enough for one call.
/// </summary>
public sealed class LargeParameterTests
{
    /// <summary>200,704 floats (784 KiB, four ranges, the last partial) as 64 pieces of 3,136.</summary>
    private const int Pieces = 64, PieceLength = 3_136, Length = Pieces * PieceLength;

    [Theory]
    [MemberData(nameof(OptimizerCatalog.PlainStep), MemberType = typeof(OptimizerCatalog))]
    public void ALargeParameter_StepsAsItsPiecesDo(string name)
    {
        var random = new Random(11);
        var initial = Normals(random, Length);
        var whole = Tensor.FromArray((float[])initial.Clone(), Length).RequireGrad();
        var pieces = Enumerable.Range(0, Pieces).Select(i => Tensor.FromArray(initial[(i * PieceLength)..((i + 1) * PieceLength)], PieceLength).RequireGrad()).ToArray();
        var wholeOptimizer = OptimizerCatalog.Create<float>(name, [whole]);
        var piecesOptimizer = OptimizerCatalog.Create<float>(name, pieces);

        for (int step = 0; step < 3; step++)
        {
            var gradient = Normals(random, Length);
            whole.Grad = Tensor.FromArray(gradient, Length);
            for (int i = 0; i < Pieces; i++)
            {
                pieces[i].Grad = Tensor.FromArray(gradient[(i * PieceLength)..((i + 1) * PieceLength)], PieceLength);
            }
            wholeOptimizer.Step();
            piecesOptimizer.Step();
        }

        var values = whole.ToArray();
        Assert.NotEqual(initial, values);
        for (int i = 0; i < Pieces; i++)
        {
            Assert.Equal(pieces[i].ToArray(), values[(i * PieceLength)..((i + 1) * PieceLength)]);
        }
    }

    private static float[] Normals(Random random, int count) =>
        [.. Enumerable.Range(0, count).Select(_ => (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble())))];
}
