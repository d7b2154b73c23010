using System.Numerics;

namespace TinyAutograd.Kernels;

/// <summary>
/// A convolution's forward pass, y[n, o] = b[o] + Σ W[o, (c, i, j)]·x[n, c, ·]: for each image and group one product
/// of the weights with the image's columns, which the product forms while packing (<see cref="GemmImageColumns"/>), so
/// no columns matrix is stored, into y[n, group's channels] directly (already NCHW), on top of the bias.
/// </summary>
internal static unsafe class ConvolutionKernel
{
    /// <summary>
    /// y = W ⋆ x + b over the whole batch. Images (and groups) are split into ranges over the cores when the work is
    /// large; each is the same single product whatever range runs it, so the bits do not depend on the thread count.
    /// </summary>
    /// <param name="g">The geometry over the whole batch and every input channel.</param>
    /// <param name="groups">The number of groups; each sees Channels / groups inputs and makes outChannels / groups outputs.</param>
    /// <param name="outChannels">The number of output channels.</param>
    /// <param name="image">x, batch × channels × height × width.</param>
    /// <param name="weights">W, outChannels × (channels / groups) × kernel height × kernel width.</param>
    /// <param name="bias">b, outChannels values, or empty for none.</param>
    /// <param name="output">y, batch × outChannels × out height × out width.</param>
    public static void Forward<T>(in ConvGeometry g, int groups, int outChannels, ReadOnlySpan<T> image, ReadOnlySpan<T> weights, ReadOnlySpan<T> bias, Span<T> output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var one = g with { Batch = 1, Channels = g.Channels / groups };
        int items = g.Batch * groups;
        long work = (long)outChannels * g.Batch * one.Positions * one.Rows;
        int ranges = ParallelRanges.Worth(work, GemmParallel.MinWorkPerThread, items);
        fixed (T* x = image, w = weights, b = bias, y = output)
        {
            ParallelRanges.Run(new Products<T>(one, groups, outChannels / groups, x, w, bias.IsEmpty ? null : b, y), items, ranges, quantum: 1);
        }
    }

    /// <summary>The products of items [start, end), item = image · groups + group.</summary>
    private readonly struct Products<T>(ConvGeometry one, int groups, int outPerGroup, T* image, T* weights, T* bias, T* output) : IRangeKernel
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run(int start, int end, int range)
        {
            int positions = one.Positions;
            nint imageSize = (nint)one.Channels * one.Height * one.Width;
            nint weightSize = (nint)outPerGroup * one.Rows;
            nint outputSize = (nint)outPerGroup * positions;
            for (int item = start; item < end; item++)
            {
                int group = item % groups;
                T* y = output + item * outputSize;
                for (int o = 0; o < outPerGroup; o++)
                {
                    new Span<T>(y + o * positions, positions).Fill(bias is null ? T.Zero : bias[group * outPerGroup + o]);
                }
                Gemm.MultiplyImage(weights + group * weightSize, image + item * imageSize, one, y, outPerGroup);
            }
        }
    }
}
