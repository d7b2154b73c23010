using System.Numerics;
using System.Text.Json;
using TinyAutograd.Optim;

namespace TinyAutograd.Tests.Optim;

/// <summary>
/// Train k steps, save, continue n steps → A; a fresh model at the saved values with a fresh optimizer that loads the
/// state (through JSON, as a checkpoint would) continues n steps → B; A and B must be bitwise equal.
/// </summary>
public sealed class StateRoundTripTests
{
    private const int StepsBeforeSave = 4, StepsAfterSave = 4;

    [Theory]
    [MemberData(nameof(OptimizerCatalog.All), MemberType = typeof(OptimizerCatalog))]
    public void SaveThenLoad_ResumesBitForBit_Double(string name) => AssertResumesBitForBit<double>(name);

    [Theory]
    [MemberData(nameof(OptimizerCatalog.All), MemberType = typeof(OptimizerCatalog))]
    public void SaveThenLoad_ResumesBitForBit_Float(string name) => AssertResumesBitForBit<float>(name);

    [Fact]
    public void LoadState_FromAnotherMethod_ThrowsNamingBoth()
    {
        var model = new SmallRegression<double>();
        var state = new Adam<double>(model.Parameters).SaveState();
        var error = Assert.Throws<ArgumentException>(() => new RmsProp<double>(model.Parameters).LoadState(state));
        Assert.Contains("Adam", error.Message, StringComparison.Ordinal);
        Assert.Contains("RmsProp", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadState_WithWrongBufferLength_ThrowsNamingTheBuffer()
    {
        var model = new SmallRegression<double>();
        var adam = new Adam<double>(model.Parameters);
        OptimizerCatalog.Step(adam, model.Loss);
        var saved = adam.SaveState();
        var broken = new OptimizerState
        {
            Method = saved.Method,
            LearningRates = saved.LearningRates,
            Parameters = [saved.Parameters[0], new ParameterStateSnapshot { Step = 1, Buffers = new Dictionary<string, double[]> { ["s"] = new double[5] } }],
        };
        var error = Assert.Throws<ArgumentException>(() => new Adam<double>(model.Parameters).LoadState(broken));
        Assert.Contains("'s'", error.Message, StringComparison.Ordinal);
        Assert.Contains("5 values", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SaveState_IsACopy_NotAView()
    {
        var model = new SmallRegression<double>();
        var adam = new Adam<double>(model.Parameters);
        OptimizerCatalog.Step(adam, model.Loss);
        var saved = adam.SaveState();
        double before = saved.Parameters[0].Buffers["s"][0];
        OptimizerCatalog.Step(adam, model.Loss);
        Assert.Equal(before, saved.Parameters[0].Buffers["s"][0]);
        Assert.NotEqual(before, double.CreateTruncating(adam.StateOf(0).Buffers["s"][0]));
    }

    private static void AssertResumesBitForBit<T>(string name)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var original = new SmallRegression<T>();
        var optimizer = OptimizerCatalog.Create(name, original.Parameters);
        for (int k = 0; k < StepsBeforeSave; k++)
        {
            OptimizerCatalog.Step(optimizer, original.Loss);
        }
        string json = JsonSerializer.Serialize(optimizer.SaveState());
        var resumed = original.Copy();
        var unrestored = original.Copy();
        for (int k = 0; k < StepsAfterSave; k++)
        {
            OptimizerCatalog.Step(optimizer, original.Loss);
        }

        var loaded = OptimizerCatalog.Create(name, resumed.Parameters);
        loaded.LoadState(JsonSerializer.Deserialize<OptimizerState>(json)!);
        var fresh = OptimizerCatalog.Create(name, unrestored.Parameters);
        for (int k = 0; k < StepsAfterSave; k++)
        {
            OptimizerCatalog.Step(loaded, resumed.Loss);
            OptimizerCatalog.Step(fresh, unrestored.Loss);
        }

        for (int p = 0; p < original.Parameters.Length; p++)
        {
            var expected = original.Parameters[p].ToArray();
            var actual = resumed.Parameters[p].ToArray();
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.True(expected[i].Equals(actual[i]), $"{name}: parameter {p}[{i}] continued as {expected[i]:R} but resumed as {actual[i]:R}");
            }
        }
        if (!OptimizerCatalog.IsStateless(name))
        {
            Assert.False(original.Parameters[0].ToArray().SequenceEqual(unrestored.Parameters[0].ToArray()),
                $"premise: {name} without its saved state should take different steps, or the round trip proves nothing");
        }
    }
}
