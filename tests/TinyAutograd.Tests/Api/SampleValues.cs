using System.Linq.Expressions;
using System.Numerics;
using System.Reflection;

namespace TinyAutograd.Tests.Api;

/// <summary>
/// A non-null value of any type the public API takes: tensors, arrays, collections, delegates, and instances of the
/// library's own types built from their public constructors. Only the absence of null matters to the tests using it.
/// </summary>
internal static class SampleValues
{
    private const int MaxDepth = 4;

    /// <summary>A value of <paramref name="type"/>, or null when none could be made (the caller reports it).</summary>
    public static object? Of(Type type, int depth = 0)
    {
        if (depth > MaxDepth)
        {
            return null;
        }
        if (type == typeof(string))
        {
            return "sample";
        }
        if (type == typeof(Type))
        {
            return typeof(double);
        }
        if (type == typeof(Stream))
        {
            return new MemoryStream();
        }
        if (type == typeof(Tensor<double>))
        {
            return Tensor.FromArray([0.5, 0.25], 2).RequireGrad();
        }
        if (type == typeof(Tensor<float>))
        {
            return Tensor.FromArray([0.5f, 0.25f], 2).RequireGrad();
        }
        if (type == typeof(int))
        {
            return 1;
        }
        if (type == typeof(double))
        {
            return 0.5;
        }
        if (type == typeof(TinyAutograd.Nn.Size2d))
        {
            return new TinyAutograd.Nn.Size2d(1, 1);
        }
        if (type == typeof(TinyAutograd.Nn.AvgPool2d<double>))
        {
            // The sample Size2d (1×1) as padding is more than half of a 1×1 kernel.
            return new TinyAutograd.Nn.AvgPool2d<double>(1);
        }
        if (type.IsValueType)
        {
            return Activator.CreateInstance(type);
        }
        if (type == typeof(TinyAutograd.Profiling.ProfileReport))
        {
            // Made by Profiler.Stop only; an empty report, without starting a profiler that would see other tests' ops.
            return new TinyAutograd.Profiling.ProfileReport([], 1, new TinyAutograd.Profiling.MachineLimits(1, 256, 1, 1, 1, 1, 1, 1));
        }
        if (type == typeof(TensorArena))
        {
            var arena = TensorArena.Begin();
            arena.Dispose();
            return arena;
        }
        if (type.IsArray)
        {
            return ArrayOf(type.GetElementType()!, depth);
        }
        if (typeof(Delegate).IsAssignableFrom(type))
        {
            return DelegateOf(type);
        }
        if (type.IsGenericType && type.IsInterface)
        {
            return CollectionOf(type, depth);
        }
        return InstanceOf(type, depth);
    }

    /// <summary>Closes a generic method over <see cref="double"/> for every type parameter.</summary>
    public static MethodInfo Closed(MethodInfo method) =>
        method.IsGenericMethodDefinition ? method.MakeGenericMethod([.. method.GetGenericArguments().Select(_ => typeof(double))]) : method;

    /// <summary>Closes a generic type: <see cref="double"/> for element types, a concrete library type for other parameters.</summary>
    public static Type Closed(Type type) =>
        type.IsGenericTypeDefinition ? type.MakeGenericType([.. type.GetGenericArguments().Select(argument => ArgumentFor(argument)!)]) : type;

    private static Array? ArrayOf(Type element, int depth)
    {
        var one = Of(element, depth + 1);
        if (one is null)
        {
            return null;
        }
        var array = Array.CreateInstance(element, 1);
        array.SetValue(one, 0);
        return array;
    }

    private static Delegate DelegateOf(Type type)
    {
        var invoke = type.GetMethod("Invoke")!;
        var parameters = invoke.GetParameters().Select(parameter => Expression.Parameter(parameter.ParameterType)).ToArray();
        Expression body = invoke.ReturnType == typeof(void) ? Expression.Empty() : Expression.Default(invoke.ReturnType);
        return Expression.Lambda(type, body, parameters).Compile();
    }

    /// <summary>An array for sequence interfaces, a dictionary for dictionary interfaces.</summary>
    private static object? CollectionOf(Type type, int depth)
    {
        var arguments = type.GetGenericArguments();
        if (arguments.Length == 2)
        {
            var dictionaryType = typeof(Dictionary<,>).MakeGenericType(arguments);
            if (!type.IsAssignableFrom(dictionaryType))
            {
                return null;
            }
            var dictionary = (System.Collections.IDictionary)Activator.CreateInstance(dictionaryType)!;
            var key = Of(arguments[0], depth + 1);
            var value = Of(arguments[1], depth + 1);
            if (key is null || value is null)
            {
                return null;
            }
            dictionary.Add(key, value);
            return dictionary;
        }
        var array = arguments.Length == 1 ? ArrayOf(arguments[0], depth) : null;
        return array is not null && type.IsInstanceOfType(array) ? array : null;
    }

    /// <summary>
    /// An instance of the type, or of a concrete type of the library or of these tests assignable to it (such as a
    /// test's own custom operation), from any of its constructors.
    /// </summary>
    private static object? InstanceOf(Type type, int depth)
    {
        IEnumerable<Type> candidates = type.IsAbstract || type.IsInterface
            ? typeof(Tensor).Assembly.GetTypes().Concat(typeof(SampleValues).Assembly.GetTypes())
                .Where(candidate => !candidate.IsAbstract && !candidate.IsInterface)
                .Where(candidate => !candidate.IsGenericTypeDefinition || (candidate.GetGenericArguments().Length == 1 && ClosesOverDouble(candidate)))
                .Select(Closed)
                .Where(candidate => !candidate.ContainsGenericParameters && type.IsAssignableFrom(candidate))
                .OrderBy(candidate => candidate.Name, StringComparer.Ordinal)
            : [type];
        foreach (var candidate in candidates)
        {
            var constructors = candidate.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)
                .OrderBy(constructor => constructor.IsPublic ? 0 : 1).ThenBy(constructor => constructor.GetParameters().Length);
            foreach (var constructor in constructors)
            {
                var parameters = constructor.GetParameters();
                if (parameters.Any(parameter => parameter.ParameterType.IsByRefLike || parameter.ParameterType.IsPointer || parameter.ParameterType.IsByRef))
                {
                    continue;
                }
                var arguments = parameters.Select(parameter => Of(parameter.ParameterType, depth + 1)).ToArray();
                if (arguments.Where((argument, i) => argument is null && !parameters[i].ParameterType.IsValueType).Any())
                {
                    continue;
                }
                try
                {
                    return constructor.Invoke(arguments);
                }
                catch (TargetInvocationException)
                {
                }
            }
        }
        return null;
    }

    /// <summary>Whether <paramref name="type"/> can be <see cref="Closed(Type)"/>: every type parameter has an argument.</summary>
    public static bool ClosesOverDouble(Type type) =>
        !type.IsGenericTypeDefinition || type.GetGenericArguments().All(argument => ArgumentFor(argument) is not null);

    /// <summary>
    /// <see cref="double"/> for an element type parameter (constrained to <see cref="IFloatingPointIeee754{TSelf}"/>),
    /// else the first public concrete library type meeting the parameter's constraints (e.g. an options record), or null.
    /// </summary>
    private static Type? ArgumentFor(Type parameter)
    {
        var constraints = parameter.GetGenericParameterConstraints();
        bool IsElementConstraint(Type constraint) => constraint.IsGenericType ? constraint.GetGenericTypeDefinition() == typeof(IFloatingPointIeee754<>) : constraint.IsAssignableFrom(typeof(double));
        if (constraints.All(IsElementConstraint))
        {
            return typeof(double);
        }
        return typeof(Tensor).Assembly.GetExportedTypes()
            .Where(candidate => !candidate.IsAbstract && !candidate.IsGenericTypeDefinition)
            .OrderBy(candidate => candidate.Name, StringComparer.Ordinal)
            .FirstOrDefault(candidate => constraints.All(constraint => !constraint.ContainsGenericParameters && constraint.IsAssignableFrom(candidate)));
    }
}
