using Microsoft.ML.OnnxRuntime;

namespace TinyAutograd.Onnx.Tests;

/// <summary>Runs an exported file in ONNX Runtime (one thread) and returns its output's values and shape.</summary>
internal static class OnnxRuntimeRunner
{
    /// <summary>Runs <paramref name="model"/> on float32 <paramref name="input"/>.</summary>
    public static (float[] Values, long[] Shape) Run(byte[] model, Tensor<float> input, string inputName = "input") =>
        Run(model, inputName, OrtValue.CreateTensorValueFromMemory(input.ToArray(), [.. input.Shape.ToArray().Select(size => (long)size)]));

    /// <summary>Runs <paramref name="model"/> on int64 token ids <paramref name="ids"/> of shape <paramref name="shape"/>.</summary>
    public static (float[] Values, long[] Shape) Run(byte[] model, int[] ids, int[] shape, string inputName = "input") =>
        Run(model, inputName, OrtValue.CreateTensorValueFromMemory([.. ids.Select(id => (long)id)], [.. shape.Select(size => (long)size)]));

    private static (float[] Values, long[] Shape) Run(byte[] model, string inputName, OrtValue input)
    {
        using (input)
        {
            using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
            using var session = new InferenceSession(model, options);
            using var runOptions = new RunOptions();
            using var outputs = session.Run(runOptions, [inputName], [input], [OnnxExport.OutputName]);
            var output = outputs[0];
            return (output.GetTensorDataAsSpan<float>().ToArray(), output.GetTensorTypeAndShape().Shape);
        }
    }
}
