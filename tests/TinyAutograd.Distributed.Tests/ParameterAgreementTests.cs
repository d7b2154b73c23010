using TinyAutograd.Distributed.Mpi;

namespace TinyAutograd.Distributed.Tests;

public sealed class ParameterAgreementTests
{
    [Fact]
    public void The_first_difference_names_the_parameter_and_both_descriptions()
    {
        string[] reference = ["'a' (float32, shape [2])", "'b' (float32, shape [3, 4])", "'c' (float32, shape [1])"];
        string[] other = ["'a' (float32, shape [2])", "'b' (float32, shape [3, 5])", "'c' (float32, shape [2])"];

        Assert.Equal("parameter 1 is 'b' (float32, shape [3, 4]) on rank 0 but 'b' (float32, shape [3, 5]) on rank 2",
            ParameterAgreement.FirstDifference(reference, other, 2));
    }

    [Fact]
    public void A_missing_or_extra_parameter_is_named()
    {
        string[] reference = ["'a' (float64, shape [2])", "'b' (float64, shape [1])"];

        Assert.Equal("rank 0 has 2 parameters and rank 1 1; the first missing on rank 1 is 'b' (float64, shape [1])",
            ParameterAgreement.FirstDifference(reference, reference[..1], 1));
        Assert.Equal("rank 0 has 1 parameters and rank 1 2; the first extra on rank 1 is 'b' (float64, shape [1])",
            ParameterAgreement.FirstDifference(reference[..1], reference, 1));
    }

    [Fact]
    public void A_missing_MPI_library_names_the_packages_to_install()
    {
        var error = Assert.Throws<DllNotFoundException>(() => MpiLibrary.Load(["libmpi-that-is-not-installed.so.99"]));

        Assert.Contains("apt-get install openmpi-bin libopenmpi-dev", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_library_that_is_not_Open_MPI_is_refused_naming_the_packages()
    {
        var error = Assert.Throws<DllNotFoundException>(() => MpiLibrary.Load(["libc.so.6"]));

        Assert.Contains("not Open MPI", error.Message, StringComparison.Ordinal);
        Assert.Contains("openmpi-bin libopenmpi-dev", error.Message, StringComparison.Ordinal);
    }
}
