using TinyAutograd.Nn;

namespace TinyAutograd.Onnx.Tests;

/// <summary>
/// Gives a freshly built model the state of a trained one, so that no parameter or statistic is the identity: every
/// parameter uniform in [−1, 1], and batch normalization's running statistics moved by a few training batches.
/// </summary>
internal static class TrainedState
{
    public static void Randomize<T>(Module<T> model, RandomSource random)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        foreach (var (_, parameter) in model.NamedParameters())
        {
            Init.Uniform(parameter, -1, 1, random);
        }
        foreach (var (_, module) in model.NamedModules())
        {
            if (module is BatchNorm<T> norm)
            {
                int[] batchShape = norm is BatchNorm2d<T> ? [4, norm.Features, 3, 3] : [8, norm.Features];
                norm.Train();
                using (GradMode.Disable())
                {
                    for (int step = 0; step < 3; step++)
                    {
                        norm.Forward(random.Uniform<T>(batchShape, -2, 3));
                    }
                }
            }
        }
    }
}
