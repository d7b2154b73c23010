using TinyAutograd.Persistence;

namespace TinyAutograd.Tests.Reliability;

/// <summary>A model with float and double parameters saves into one checkpoint and restores, one precision per call.</summary>
public sealed class CheckpointMixedPrecisionTests
{
    [Fact]
    public void FloatAndDoubleParametersRoundTripBitForBit()
    {
        using var directory = new TemporaryDirectory();
        var random = new RandomSource(5);
        var doubles = new Dictionary<string, Tensor<double>> { ["encoder.weight"] = random.Normal<double>([3, 2]), ["encoder.bias"] = random.Normal<double>([2]) };
        var floats = new Dictionary<string, Tensor<float>> { ["head.weight"] = random.Normal<float>([2, 4]) };
        var checkpoint = new Checkpoint();
        checkpoint.AddParameters(doubles);
        checkpoint.AddParameters(floats);
        checkpoint.Save(directory.File("mixed.ckpt"));
        var restoredDoubles = doubles.ToDictionary(pair => pair.Key, pair => Tensor.Zeros<double>(pair.Value.Shape.ToArray()));
        var restoredFloats = floats.ToDictionary(pair => pair.Key, pair => Tensor.Zeros<float>(pair.Value.Shape.ToArray()));

        var loaded = Checkpoint.Load(directory.File("mixed.ckpt"));
        loaded.RestoreParameters(restoredDoubles);
        loaded.RestoreParameters(restoredFloats);

        foreach (var (name, tensor) in doubles)
        {
            Assert.Equal(tensor.ToArray(), restoredDoubles[name].ToArray());
        }
        Assert.Equal(floats["head.weight"].ToArray(), restoredFloats["head.weight"].ToArray());
    }

    [Fact]
    public void AParameterOfTheOtherPrecisionUnderTheSameNameIsStillATypeMismatch()
    {
        var checkpoint = new Checkpoint();
        checkpoint.AddParameters(new Dictionary<string, Tensor<float>> { ["w"] = Tensor.Ones<float>(2) });
        var model = new Dictionary<string, Tensor<double>> { ["w"] = Tensor.Zeros<double>(2) };

        var error = Assert.Throws<CheckpointException>(() => checkpoint.RestoreParameters(model));

        Assert.Equal(CheckpointProblem.ElementTypeMismatch, error.Problem);
        Assert.Equal([0.0, 0.0], model["w"].ToArray());
    }

    [Fact]
    public void AnUnknownParameterOfTheSamePrecisionIsStillUnexpected()
    {
        var checkpoint = new Checkpoint();
        checkpoint.AddParameters(new Dictionary<string, Tensor<double>> { ["w"] = Tensor.Ones<double>(2), ["stray"] = Tensor.Ones<double>(1) });
        checkpoint.AddParameters(new Dictionary<string, Tensor<float>> { ["v"] = Tensor.Ones<float>(2) });
        var model = new Dictionary<string, Tensor<double>> { ["w"] = Tensor.Zeros<double>(2) };

        var error = Assert.Throws<CheckpointException>(() => checkpoint.RestoreParameters(model));

        Assert.Equal(CheckpointProblem.UnexpectedEntry, error.Problem);
        Assert.Equal("parameters/stray", error.EntryName);
        Assert.DoesNotContain("parameters/v", error.Message, StringComparison.Ordinal);
    }
}
