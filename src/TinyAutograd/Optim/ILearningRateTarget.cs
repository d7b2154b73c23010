namespace TinyAutograd.Optim;

/// <summary>
/// Something whose learning rate a schedule can drive: every <see cref="Optimizer{T}"/>, of either element type.
/// </summary>
public interface ILearningRateTarget
{
    /// <summary>The current learning rate η; setting it changes every parameter group.</summary>
    double LearningRate { get; set; }
}
