using System.Runtime.CompilerServices;
using TinyAutograd.Differentiation;
using TinyAutograd.Checks;

namespace TinyAutograd.Tests.Autodiff;

/// <summary>
/// The one recording point: every node carries the op the user called and the caller's file and line, taken at compile
/// time (so exact in Release), and composites label their inner nodes with their own name.
/// </summary>
public sealed class OpCallTests
{
    [Fact]
    public void APublicOpRecordsItsNameAndTheCallingLine()
    {
        var x = Tensor.FromArray([1.0, 2.0]).RequireGrad();

        var (line, y) = (Here(), x.Exp());

        var call = y.Producer!.Call;
        Assert.Equal("Exp", call.Name);
        Assert.Equal(line, call.Line);
        Assert.EndsWith("OpCallTests.cs", call.File, StringComparison.Ordinal);
    }

    [Fact]
    public void ACompositeLabelsItsInnerNodesWithItsOwnNameAndCaller()
    {
        var x = Tensor.FromArray([1.0, 2.0, 3.0, 4.0], 2, 2).RequireGrad();

        var (line, mean) = (Here(), x.Mean(0));

        var division = mean.Producer!;
        var sum = division.Input(0).Producer!;
        Assert.Equal("DivideScalar", division.Name);
        Assert.Equal("Sum", sum.Name);
        Assert.All([division.Call, sum.Call], call =>
        {
            Assert.Equal("Mean", call.Name);
            Assert.Equal(line, call.Line);
        });
    }

    [Fact]
    public void TheMadeByOriginNamesTheCompositeTheUserCalled()
    {
        int line = 0;
        var traced = ValueOrigin.Trace<double>(xs => [(line = Here(), xs[0].Mean(0)).Item2], [Tensor.FromArray([1.0, 2.0, 3.0, 4.0], 2, 2)]);

        Assert.Equal($"'Mean' at OpCallTests.cs:{line}", ValueOrigin.Of(traced[0], 1));
    }

    [Fact]
    public void AnOperatorHasNoPlaceOutsideAnomalyModeAndItsCallerInIt()
    {
        var x = Tensor.FromArray([1.0, 2.0]).RequireGrad();

        var plain = (x * x).Producer!.Call;
        int line;
        OpCall traced;
        using (AnomalyMode.Enable())
        {
            (line, traced) = (Here(), (x * x).Producer!.Call);
        }

        Assert.Equal(new OpCall("Multiply", null, 0), plain);
        Assert.Equal("Multiply", traced.Name);
        Assert.Equal(line, traced.Line);
        Assert.EndsWith("OpCallTests.cs", traced.File, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnrecordedOpMakesNoNode()
    {
        var x = Tensor.FromArray([1.0, 2.0]);

        Assert.Null(x.Exp().Producer);
    }

    private static int Here([CallerLineNumber] int line = 0) => line;
}
