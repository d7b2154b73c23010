using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;

namespace TinyAutograd.Tests.Documentation;

/// <summary>
/// Compiles a sample as a user's console program would be (top-level statements, nullable on, the SDK's implicit
/// usings, references to the framework and TinyAutograd) and runs it, returning what it printed.
/// </summary>
internal static class SampleCompiler
{
    /// <summary>The file name the sample is compiled under: error origins in its output name <c>Program.cs:line</c>.</summary>
    private const string FileName = "Program.cs";

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    // What `dotnet new console` turns on with <ImplicitUsings>.
    private static readonly SyntaxTree ImplicitUsings = CSharpSyntaxTree.ParseText(
        """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """, ParseOptions, "GlobalUsings.g.cs", Encoding.UTF8);

    private static readonly Lazy<MetadataReference[]> References = new(() =>
    {
        string runtime = RuntimeEnvironment.GetRuntimeDirectory();
        var framework = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(path => Path.GetDirectoryName(path + "")!.TrimEnd(Path.DirectorySeparatorChar) == runtime.TrimEnd(Path.DirectorySeparatorChar));
        string[] library = [typeof(Tensor).Assembly.Location, typeof(System.Numerics.Tensors.TensorPrimitives).Assembly.Location];
        return [.. framework.Concat(library).Distinct().Select(path => MetadataReference.CreateFromFile(path))];
    });

    /// <summary>The syntax errors of <paramref name="code"/> read as a fragment (statements and members may mix).</summary>
    public static IReadOnlyList<Diagnostic> SyntaxErrors(string code) =>
        [.. CSharpSyntaxTree.ParseText(code, ParseOptions.WithKind(SourceCodeKind.Script), FileName)
            .GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error)];

    /// <summary>The errors of compiling <paramref name="code"/> as a program: empty when it compiles.</summary>
    public static IReadOnlyList<Diagnostic> CompileErrors(string code) =>
        [.. Compile(code).GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error)];

    /// <summary>Compiles and runs <paramref name="code"/>; returns what it wrote to the console.</summary>
    /// <exception cref="InvalidOperationException">It does not compile, or it throws (the inner exception).</exception>
    public static string Run(string code)
    {
        var compilation = Compile(code);
        using var image = new MemoryStream();
        EmitResult result = compilation.Emit(image, options: new EmitOptions(debugInformationFormat: DebugInformationFormat.Embedded));
        if (!result.Success)
        {
            var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error);
            throw new InvalidOperationException("The sample does not compile:\n" + string.Join('\n', errors));
        }
        image.Position = 0;
        var context = new AssemblyLoadContext("documentation sample", isCollectible: true);
        try
        {
            return RunEntryPoint(context.LoadFromStream(image).EntryPoint!);
        }
        finally
        {
            context.Unload();
        }
    }

    private static CSharpCompilation Compile(string code) =>
        CSharpCompilation.Create(
            "Sample",
            [ImplicitUsings, CSharpSyntaxTree.ParseText(code, ParseOptions, FileName, Encoding.UTF8)],
            References.Value,
            new CSharpCompilationOptions(
                OutputKind.ConsoleApplication,
                nullableContextOptions: NullableContextOptions.Enable,
                optimizationLevel: OptimizationLevel.Debug,
                allowUnsafe: false));

    private static string RunEntryPoint(MethodInfo main)
    {
        var previousOut = Console.Out;
        var previousCulture = CultureInfo.CurrentCulture;
        var output = new StringWriter(CultureInfo.InvariantCulture);
        Console.SetOut(output);
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        try
        {
            object?[]? arguments = main.GetParameters().Length == 0 ? null : [Array.Empty<string>()];
            main.Invoke(null, arguments);
        }
        catch (TargetInvocationException exception) when (exception.InnerException is not null)
        {
            throw new InvalidOperationException(
                $"The sample threw after printing:\n{output}\n{exception.InnerException.GetType().Name}: {exception.InnerException.Message}",
                exception.InnerException);
        }
        finally
        {
            Console.SetOut(previousOut);
            CultureInfo.CurrentCulture = previousCulture;
        }
        return output.ToString();
    }
}
