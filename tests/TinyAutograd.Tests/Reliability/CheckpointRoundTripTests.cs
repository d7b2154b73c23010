using TinyAutograd.Optim;
using TinyAutograd.Persistence;

namespace TinyAutograd.Tests.Reliability;

/// <summary>Checkpoints give back exactly what was saved, bit for bit, and a restored training run continues identically.</summary>
public sealed class CheckpointRoundTripTests
{
    private static readonly double[] SpecialDoubles =
    [
        0.0, -0.0, 1.0, -1.5, double.Epsilon, -double.Epsilon, double.MaxValue, double.MinValue,
        double.PositiveInfinity, double.NegativeInfinity, double.NaN, BitConverter.Int64BitsToDouble(0x7FF0_0000_0000_0001),
        BitConverter.Int64BitsToDouble(unchecked((long)0xFFF8_1234_5678_9ABC)), 2.2250738585072009e-308, Math.PI, 1e-300,
    ];

    private static readonly float[] SpecialFloats =
    [
        0.0f, -0.0f, 1.0f, float.Epsilon, float.MaxValue, float.MinValue, float.PositiveInfinity, float.NegativeInfinity,
        float.NaN, BitConverter.Int32BitsToSingle(0x7F80_0001), BitConverter.Int32BitsToSingle(unchecked((int)0xFFC0_1234)), 1.17549421e-38f,
    ];

    [Fact]
    public void EveryKindOfEntryComesBackBitForBitInOrder()
    {
        using var directory = new TemporaryDirectory();
        var doubles = Tensor.FromArray(SpecialDoubles, 2, 4, 2);
        var floats = Tensor.FromArray(SpecialFloats, 3, 4);
        var checkpoint = new Checkpoint();
        checkpoint.AddTensor("doubles", doubles);
        checkpoint.AddTensor("floats", floats);
        checkpoint.AddTensor("scalar tensor", Tensor.Scalar(-0.0));
        checkpoint.AddTensor("empty", Tensor.Zeros<float>(0, 3));
        checkpoint.AddArray("array", SpecialDoubles);
        checkpoint.AddScalar("scalar", double.NaN);
        checkpoint.AddInteger("integer", long.MinValue);
        checkpoint.AddText("text", "λ → ∂L/∂θ 🚀");
        checkpoint.AddText("empty text", "");

        checkpoint.Save(directory.File("all.ckpt"));
        var loaded = Checkpoint.Load(directory.File("all.ckpt"));

        Assert.Equal(checkpoint.Entries.Select(e => e.Name), loaded.Entries.Select(e => e.Name));
        Assert.Equal(Bits(doubles.ToArray()), Bits(loaded.GetTensor<double>("doubles").ToArray()));
        Assert.Equal(doubles.Shape, loaded.GetTensor<double>("doubles").Shape);
        Assert.Equal(Bits(floats.ToArray()), Bits(loaded.GetTensor<float>("floats").ToArray()));
        Assert.Equal(floats.Shape, loaded.GetTensor<float>("floats").Shape);
        var scalarTensor = loaded.GetTensor<double>("scalar tensor");
        Assert.Equal(Shape.Scalar, scalarTensor.Shape);
        Assert.Equal(BitConverter.DoubleToInt64Bits(-0.0), BitConverter.DoubleToInt64Bits(scalarTensor.ToScalar()));
        Assert.Equal(new Shape(0, 3), loaded.GetTensor<float>("empty").Shape);
        Assert.Equal(Bits(SpecialDoubles), Bits(loaded.GetArray("array")));
        Assert.Equal(BitConverter.DoubleToInt64Bits(double.NaN), BitConverter.DoubleToInt64Bits(loaded.GetScalar("scalar")));
        Assert.Equal(long.MinValue, loaded.GetInteger("integer"));
        Assert.Equal("λ → ∂L/∂θ 🚀", loaded.GetText("text"));
        Assert.Equal("", loaded.GetText("empty text"));
    }

    [Fact]
    public void SavingTheSameContentTwiceGivesTheSameBytes()
    {
        using var directory = new TemporaryDirectory();
        var checkpoint = new Checkpoint();
        checkpoint.AddTensor("w", Tensor.Normal<double>([3, 5], seed: 3));
        checkpoint.AddInteger("epoch", 7);

        checkpoint.Save(directory.File("a.ckpt"));
        checkpoint.Save(directory.File("b.ckpt"));
        Checkpoint.Load(directory.File("a.ckpt")).Save(directory.File("c.ckpt"));

        var bytes = File.ReadAllBytes(directory.File("a.ckpt"));
        Assert.Equal(bytes, File.ReadAllBytes(directory.File("b.ckpt")));
        Assert.Equal(bytes, File.ReadAllBytes(directory.File("c.ckpt")));
    }

    [Fact]
    public void EntriesAreCopiesOfTheTensorsTheyWereMadeFrom()
    {
        var w = Tensor.FromArray([1.0, 2.0]);
        var checkpoint = new Checkpoint();
        checkpoint.AddTensor("w", w);

        w.GetSpanForWrite()[0] = 10.0;
        var first = checkpoint.GetTensor<double>("w");
        first.GetSpanForWrite()[1] = 20.0;

        Assert.Equal([1.0, 2.0], checkpoint.GetTensor<double>("w").ToArray());
    }

    [Fact]
    public void RestoredParametersAndAdamStateResumeTrainingBitForBit()
    {
        using var directory = new TemporaryDirectory();
        var original = new TinyMlp(seed: 31);
        var optimizer = new Adam<double>(original.Parameters, new AdamOptions { LearningRate = 0.01 });
        for (int step = 0; step < 5; step++)
        {
            AdamStep(original, optimizer);
        }
        var checkpoint = new Checkpoint();
        checkpoint.AddParameters(Named(original));
        checkpoint.AddOptimizerState(optimizer.SaveState());
        checkpoint.AddInteger("step", 5);
        checkpoint.Save(directory.File("run.ckpt"));
        var continued = Enumerable.Range(0, 5).Select(_ => AdamStep(original, optimizer)).ToArray();

        var resumed = new TinyMlp(seed: 31);
        var resumedOptimizer = new Adam<double>(resumed.Parameters, new AdamOptions { LearningRate = 0.5 });
        var loaded = Checkpoint.Load(directory.File("run.ckpt"));
        loaded.Restore(Named(resumed), resumedOptimizer);
        var replayed = Enumerable.Range(0, 5).Select(_ => AdamStep(resumed, resumedOptimizer)).ToArray();

        Assert.Equal(5, loaded.GetInteger("step"));
        Assert.Equal(0.01, resumedOptimizer.LearningRate);
        Assert.Equal(Bits(continued), Bits(replayed));
        Assert.Equal(Bits(original.Parameters.SelectMany(p => p.ToArray()).ToArray()), Bits(resumed.Parameters.SelectMany(p => p.ToArray()).ToArray()));
    }

    [Fact]
    public void FloatParametersAndMomentumStateRoundTripExactly()
    {
        using var directory = new TemporaryDirectory();
        var w = Tensor.FromArray(SpecialFloats[..8].Select(v => float.IsFinite(v) ? v : 0.5f).ToArray(), 2, 4).RequireGrad();
        var optimizer = new Momentum<float>([w]);
        w.Grad = Tensor.Full(0.25f, 2, 4);
        optimizer.Step();
        var checkpoint = new Checkpoint();
        checkpoint.AddParameters(new Dictionary<string, Tensor<float>> { ["w"] = w });
        checkpoint.AddOptimizerState(optimizer.SaveState());
        checkpoint.Save(directory.File("float.ckpt"));

        var fresh = Tensor.Zeros<float>(2, 4).RequireGrad();
        var freshOptimizer = new Momentum<float>([fresh]);
        Checkpoint.Load(directory.File("float.ckpt")).Restore(new Dictionary<string, Tensor<float>> { ["w"] = fresh }, freshOptimizer);

        Assert.Equal(Bits(w.ToArray()), Bits(fresh.ToArray()));
        var saved = optimizer.StateOf(0);
        var restored = freshOptimizer.StateOf(0);
        Assert.Equal(saved.Step, restored.Step);
        Assert.Equal(saved.Buffers.Keys.Order(), restored.Buffers.Keys.Order());
        foreach (var (name, values) in saved.Buffers)
        {
            Assert.Equal(Bits(values), Bits(restored.Buffers[name]));
        }
    }

    private static double AdamStep(TinyMlp model, Adam<double> optimizer)
    {
        optimizer.ZeroGrad();
        var loss = model.Loss();
        loss.Backward();
        optimizer.Step();
        return loss.ToScalar();
    }

    private static Dictionary<string, Tensor<double>> Named(TinyMlp model) =>
        model.Parameters.Select((p, i) => (p, i)).ToDictionary(pair => $"layer{pair.i / 2}.{(pair.i % 2 == 0 ? "weight" : "bias")}", pair => pair.p);

    private static long[] Bits(double[] values) => [.. values.Select(BitConverter.DoubleToInt64Bits)];

    private static int[] Bits(float[] values) => [.. values.Select(BitConverter.SingleToInt32Bits)];
}
