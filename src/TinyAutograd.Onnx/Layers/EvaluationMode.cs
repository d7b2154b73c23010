using System.Numerics;
using TinyAutograd.Nn;

namespace TinyAutograd.Onnx.Layers;

/// <summary>
/// The file holds the evaluation-mode computation. A layer that computes something else in training mode (dropout,
/// batch normalization) must be in evaluation mode when exported, so that the file and the library agree.
/// </summary>
internal static class EvaluationMode
{
    /// <summary>Throws when <paramref name="layer"/> would compute something other than its evaluation mode, or has none that ONNX can state.</summary>
    /// <exception cref="OnnxExportException">The layer is in training mode and behaves differently there, or is a batch normalization without running statistics.</exception>
    public static void Require<T>(Layer<T> layer)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (layer is BatchNorm<T> { TracksRunningStatistics: false })
        {
            throw OnnxExportException.For(layer, "keeps no running statistics, so it normalizes each batch by its own statistics even in evaluation mode; ONNX's BatchNormalization needs the running mean and variance.");
        }
        bool modeMatters = layer switch
        {
            Dropout<T> dropout => dropout.Probability > 0,
            BatchNorm<T> => true,
            _ => false,
        };
        if (modeMatters && layer.IsTraining)
        {
            throw OnnxExportException.For(layer, "is in training mode, where it computes something else than in evaluation mode; the file holds the evaluation-mode computation. Call Eval() on the model before exporting.");
        }
    }
}
