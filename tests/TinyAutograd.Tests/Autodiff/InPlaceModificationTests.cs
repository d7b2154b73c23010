namespace TinyAutograd.Tests.Autodiff;

/// <summary>In-place writes through GetSpanForWrite and the version check that protects saved values.</summary>
public sealed class InPlaceModificationTests
{
    [Fact]
    public void WriteAfterUseMakesBackwardFailNamingTheOp()
    {
        var x = Tensor.FromArray([1.0, 2.0]).RequireGrad();
        var y = (x.Exp() * x).Sum();
        using (GradMode.Disable())
        {
            x.GetSpanForWrite()[0] = 10;
        }
        var error = Assert.Throws<InvalidOperationException>(() => y.Backward());
        Assert.Contains("Multiply", error.Message, StringComparison.Ordinal);
        Assert.Contains("modified in place", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteThroughAReshapedAliasIsDetectedToo()
    {
        var x = Tensor.FromArray([1.0, 2.0, 3.0, 4.0]).RequireGrad();
        var y = x.Square().Sum();
        using (GradMode.Disable())
        {
            x.Detach().Reshape(2, 2).GetSpanForWrite()[3] = 0;
        }
        var error = Assert.Throws<InvalidOperationException>(() => y.Backward());
        Assert.Contains("Square", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WritingARequiresGradLeafWhileRecordingThrows()
    {
        var x = Tensor.FromArray([1.0, 2.0]).RequireGrad();
        var error = Assert.Throws<InvalidOperationException>(() => x.GetSpanForWrite());
        Assert.Contains("GradMode.Disable", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WritingARecordedResultThrowsNamingItsOp()
    {
        var y = Tensor.FromArray([1.0, 2.0]).RequireGrad().Exp();
        var error = Assert.Throws<InvalidOperationException>(() => y.GetSpanForWrite());
        Assert.Contains("Exp", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteBumpsTheVersionAndBackwardAfterRecomputingSucceeds()
    {
        var x = Tensor.FromArray([1.0, 2.0]).RequireGrad();
        int before = x.Version;
        using (GradMode.Disable())
        {
            x.GetSpanForWrite()[1] = 3;
        }
        Assert.Equal(before + 1, x.Version);
        x.Square().Sum().Backward();
        Assert.Equal(new[] { 2.0, 6.0 }, x.Grad!.ToArray());
    }
}
