namespace TinyAutograd.Tests.Fuzzing;

/// <summary>
/// The operations a fuzz program is made of: every differentiable op of the library, with the unary ops whose domain
/// is restricted applied to inputs mapped into it (e.g. log(softplus(x) + 0.1)).
/// </summary>
internal enum FuzzOperation
{
    /// <summary>A leaf: Arguments = [input index].</summary>
    Input,

    Negate,
    Exp,
    /// <summary>log(softplus(x) + 0.1).</summary>
    Log,
    /// <summary>sqrt(x² + 0.1).</summary>
    Sqrt,
    /// <summary>reciprocal(x² + 0.5).</summary>
    Reciprocal,
    /// <summary>2 / (x² + 0.5), the scalar-over-tensor division.</summary>
    ScalarOverTensor,
    Abs,
    Square,
    Sigmoid,
    Tanh,
    Relu,
    Softplus,
    /// <summary>x^p for integer p (Arguments [0]) or (softplus(x) + 0.1)^p (Arguments [1]); Number = p.</summary>
    PowScalar,
    /// <summary>x + c, c − x, x·c, x / c by Arguments [0..3]; Number = c.</summary>
    ScalarArithmetic,

    Add,
    Subtract,
    Multiply,
    /// <summary>a / (softplus(b) + 0.5).</summary>
    Divide,
    Maximum,
    Minimum,
    /// <summary>(softplus(a) + 0.5)^tanh(b).</summary>
    Pow,
    /// <summary>Where(mask, a, b) with a constant 0/1 mask (Mask).</summary>
    Where,

    /// <summary>Arguments = [keepDims, axes…] (no axes: all).</summary>
    Sum,
    Mean,
    Max,
    LogSumExp,
    /// <summary>Arguments = [axis].</summary>
    Softmax,
    LogSoftmax,

    /// <summary>a.MatMul(b), NumPy semantics.</summary>
    MatMul,
    /// <summary>Tensor.MatMul(a, b, transposeLeft, transposeRight): Arguments = [transposeLeft, transposeRight].</summary>
    MatMulTransposed,

    /// <summary>Arguments = the requested shape (one entry may be −1).</summary>
    Reshape,
    /// <summary>Arguments = the permutation.</summary>
    Permute,
    /// <summary>Arguments = [axis0, axis1].</summary>
    Transpose,
    /// <summary>To the result shape.</summary>
    BroadcastTo,
    /// <summary>To the result shape.</summary>
    SumTo,
    /// <summary>Arguments = [axis, start, length].</summary>
    Slice,
    /// <summary>Arguments = [axis, indices…].</summary>
    IndexSelect,
    /// <summary>Arguments = [axis]; all operands joined.</summary>
    Concatenate,
    /// <summary>Arguments = [axis]; all operands stacked.</summary>
    Stack,

    /// <summary>Loss.SquaredError(a, b): Arguments = [reduction].</summary>
    SquaredError,
    /// <summary>Loss.CrossEntropy(a, labels): Arguments = [reduction, labels…].</summary>
    CrossEntropyLabels,
    /// <summary>Loss.CrossEntropy(a, softmax(b)): Arguments = [reduction].</summary>
    CrossEntropyProbabilities,
    /// <summary>Loss.BinaryCrossEntropyWithLogits(a, sigmoid(b)): Arguments = [reduction].</summary>
    BinaryCrossEntropy,
}
