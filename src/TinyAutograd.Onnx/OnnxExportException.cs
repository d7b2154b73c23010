using System.Numerics;
using TinyAutograd.Nn;

namespace TinyAutograd.Onnx;

/// <summary>
/// A module of the model cannot be written to ONNX. The message names the module's dotted path, its type and why;
/// <see cref="ModulePath"/> and <see cref="ModuleType"/> hold the first two.
/// </summary>
public sealed class OnnxExportException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public OnnxExportException()
        : this("A module cannot be exported to ONNX.")
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public OnnxExportException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and the exception that caused it.</summary>
    public OnnxExportException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal OnnxExportException(string modulePath, string moduleType, string problem)
        : base($"ONNX export: module '{(modulePath.Length == 0 ? "(root)" : modulePath)}' ({moduleType}) {problem}")
    {
        ModulePath = modulePath;
        ModuleType = moduleType;
    }

    /// <summary>The exception for <paramref name="module"/>, at its dotted path, with <paramref name="problem"/> as the end of the sentence.</summary>
    internal static OnnxExportException For<T>(Module<T> module, string problem)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        new(module.Path, TypeName(module.GetType()), problem);

    /// <summary>The dotted path of the module in its model, e.g. <c>features.3</c>; empty for the root, or when no module is concerned.</summary>
    public string ModulePath { get; } = "";

    /// <summary>The module's type as C# writes it, e.g. <c>Lstm&lt;float&gt;</c>; empty when no module is concerned.</summary>
    public string ModuleType { get; } = "";

    /// <summary>A type's name as C# writes it: <c>Lstm&lt;float&gt;</c> rather than <c>Lstm`1</c>.</summary>
    private static string TypeName(Type type)
    {
        if (type == typeof(float)) return "float";
        if (type == typeof(double)) return "double";
        if (!type.IsGenericType) return type.Name;
        string name = type.Name;
        int tick = name.IndexOf('`', StringComparison.Ordinal);
        return $"{(tick < 0 ? name : name[..tick])}<{string.Join(", ", type.GetGenericArguments().Select(TypeName))}>";
    }
}
