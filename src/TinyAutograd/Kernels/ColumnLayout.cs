namespace TinyAutograd.Kernels;

/// <summary>How the column matrix of im2col (<see cref="Im2colKernels"/>) orders its image, row and position axes.</summary>
internal enum ColumnLayout
{
    /// <summary>[N, C·kh·kw, OH·OW]: one column matrix per image.</summary>
    PerImage,

    /// <summary>
    /// [C·kh·kw, N, OH·OW]: one column matrix for the whole batch, its columns running over (image, position), so that a
    /// convolution is one matrix product per group with the batch in the product's wide dimension.
    /// </summary>
    Batched,
}
