using System.Numerics;

namespace TinyAutograd.Kernels;

/// <summary>
/// A convolution's forward pass, y[n, o] = b[o] + Σ W[o, (c, i, j)]·x[n, c, ·]: for each image and group one product
/// of the weights with the image's columns, which the product forms while packing (<see cref="GemmImageColumns"/>), so
/// no columns matrix is stored, into y[n, group's channels] directly (already NCHW), on top of the bias when there is one
/// (without, the product's tiles are stored as they are, with no cleared output to add onto). And, for one
/// group, its two gradients image by image: the columns' gradient Wᵀ·g[n] added back where the columns came from, and
/// Σ_n g[n]·columns(x[n])ᵀ.
/// </summary>
internal static unsafe class ConvolutionKernel
{
    /// <summary>
    /// y = W ⋆ x + b over the whole batch: read straight from the padded image when <see cref="DirectConvolution"/>
    /// handles the geometry (windows of a few taps, such as a first layer over one-channel images), which gives the
    /// product path's bits faster; otherwise <see cref="ForwardByProducts{T}"/>.
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
        if (DirectConvolution.Handles<T>(g, groups))
        {
            DirectConvolution.Forward(g, outChannels, image, weights, bias, output);
        }
        else
        {
            ForwardByProducts(g, groups, outChannels, image, weights, bias, output);
        }
    }

    /// <summary>
    /// <see cref="Forward{T}"/> by one product per image and group, whatever the geometry. Images (and groups) are split
    /// into ranges over the cores when the work is large; each is the same single product whatever range runs it, so
    /// the bits do not depend on the thread count.
    /// </summary>
    internal static void ForwardByProducts<T>(in ConvGeometry g, int groups, int outChannels, ReadOnlySpan<T> image, ReadOnlySpan<T> weights, ReadOnlySpan<T> bias, Span<T> output)
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
                if (bias is not null)
                {
                    // Each channel's plane starts as its bias, written in one sweep, and the product adds onto it.
                    // Writing the bias into each row of tiles just before the product, as Linear does, was no faster
                    // (1→32 channels at 28×28, batch 128, Zen 3: the same fastest calls, medians 5–15% slower).
                    for (int o = 0; o < outPerGroup; o++)
                    {
                        new Span<T>(y + o * positions, positions).Fill(bias[group * outPerGroup + o]);
                    }
                }
                Gemm.MultiplyImage(weights + group * weightSize, image + item * imageSize, one, y, outPerGroup, accumulate: bias is not null);
            }
        }
    }

    /// <summary>
    /// ∂L/∂x of y = W ⋆ x (+ b), one group: per image, the columns' gradient Wᵀ·g[n] (K × P, K = C·kh·kw, P the output
    /// positions) added back to the input positions the columns were read from (col2im). Images are split over the
    /// cores; each is the same product and the same additions whatever range runs it.
    /// </summary>
    /// <param name="g">The geometry over the whole batch.</param>
    /// <param name="outChannels">O.</param>
    /// <param name="weights">W, O × K.</param>
    /// <param name="outputGradient">g = ∂L/∂y, N × O × P.</param>
    /// <param name="inputGradient">∂L/∂x, N × C × H × W, every element written.</param>
    public static void InputGradient<T>(in ConvGeometry g, int outChannels, ReadOnlySpan<T> weights, ReadOnlySpan<T> outputGradient, Span<T> inputGradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var one = g with { Batch = 1 };
        long work = (long)outChannels * g.Rows * g.Positions * g.Batch;
        int ranges = ParallelRanges.Worth(work, GemmParallel.MinWorkPerThread, g.Batch);
        var scratch = TensorArena.Allocate<T>(checked(ranges * one.Rows * one.Positions), clear: false);
        fixed (T* w = weights, dy = outputGradient, dx = inputGradient, s = scratch)
        {
            ParallelRanges.Run(new InputGradients<T>(one, outChannels, w, dy, dx, s), g.Batch, ranges, quantum: 1);
        }
    }

    /// <summary>
    /// ∂L/∂W = Σ_n g[n]·columns(x[n])ᵀ (O × K), one group: each image's columns formed in turn, the images cut into
    /// <see cref="PartialSums"/>' parts so that the bits do not depend on the thread count.
    /// </summary>
    /// <param name="g">The geometry over the whole batch.</param>
    /// <param name="outChannels">O.</param>
    /// <param name="image">x, N × C × H × W.</param>
    /// <param name="outputGradient">g = ∂L/∂y, N × O × P.</param>
    /// <param name="weightGradient">∂L/∂W, O × K.</param>
    public static void WeightGradient<T>(in ConvGeometry g, int outChannels, ReadOnlySpan<T> image, ReadOnlySpan<T> outputGradient, Span<T> weightGradient)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var one = g with { Batch = 1 };
        int sumLength = outChannels * g.Rows;
        int parts = PartialSums.Count(g.Batch, image.Length, sumLength);
        // Cleared for an empty batch, whose sums have no terms.
        var sums = TensorArena.Allocate<T>(checked(parts * sumLength), clear: g.Batch == 0);
        long work = (long)outChannels * g.Rows * g.Positions * g.Batch;
        int ranges = ParallelRanges.Worth(work, GemmParallel.MinWorkPerThread, parts);
        var scratch = TensorArena.Allocate<T>(checked(ranges * one.Rows * one.Positions), clear: false);
        fixed (T* x = image, dy = outputGradient, u = sums, s = scratch)
        {
            ParallelRanges.Run(new WeightGradientParts<T>(one, outChannels, g.Batch, parts, x, dy, u, s), parts, ranges, quantum: 1);
        }
        PartialSums.Total<T>(sums, parts, sumLength).CopyTo(weightGradient);
    }

    /// <summary>Images [start, end) of <see cref="InputGradient{T}"/>.</summary>
    private readonly struct InputGradients<T>(ConvGeometry one, int outChannels, T* weights, T* outputGradient, T* inputGradient, T* scratch) : IRangeKernel
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run(int start, int end, int range)
        {
            int rows = one.Rows, positions = one.Positions;
            int imageSize = one.Channels * one.Height * one.Width;
            var columns = new Span<T>(scratch + ((nint)range * rows * positions), rows * positions);
            var w = new ReadOnlySpan<T>(weights, outChannels * rows);
            for (int n = start; n < end; n++)
            {
                var dy = new ReadOnlySpan<T>(outputGradient + ((nint)n * outChannels * positions), outChannels * positions);
                var dx = new Span<T>(inputGradient + ((nint)n * imageSize), imageSize);
                Gemm.Multiply(w, true, dy, false, columns, rows, positions, outChannels);
                dx.Clear();
                Im2colKernels.Col2im<T>(one, columns, dx);
            }
        }
    }

    /// <summary>Parts [start, end) of <see cref="WeightGradient{T}"/>: part p sums its images into its own O × K block, at p·O·K.</summary>
    private readonly struct WeightGradientParts<T>(ConvGeometry one, int outChannels, int images, int parts, T* image, T* outputGradient, T* sums, T* scratch) : IRangeKernel
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void Run(int start, int end, int range)
        {
            int rows = one.Rows, positions = one.Positions;
            int imageSize = one.Channels * one.Height * one.Width;
            var columns = new Span<T>(scratch + ((nint)range * rows * positions), rows * positions);
            for (int part = start; part < end; part++)
            {
                var sum = new Span<T>(sums + ((nint)part * outChannels * rows), outChannels * rows);
                var (first, last) = PartialSums.Pieces(images, part, parts);
                for (int n = first; n < last; n++)
                {
                    Im2colKernels.Im2col<T>(one, new ReadOnlySpan<T>(image + ((nint)n * imageSize), imageSize), columns);
                    var dy = new ReadOnlySpan<T>(outputGradient + ((nint)n * outChannels * positions), outChannels * positions);
                    Gemm.Multiply(dy, false, columns, true, sum, outChannels, rows, positions, accumulate: n > first);
                }
            }
        }
    }
}
