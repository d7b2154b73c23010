using System.Reflection;

namespace TinyAutograd.Tests.Api;

/// <summary>
/// Every public method, operator, property setter and constructor of every public type refuses a null argument with
/// an <see cref="ArgumentNullException"/> naming the parameter. Parameters annotated as nullable (<c>T?</c>) may take
/// null. Found by reflection, so API added later is covered too.
/// </summary>
public sealed class NullArgumentTests
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    [Fact]
    public void EveryPublicMemberRefusesNullNamingTheParameter() => AssertEveryMemberRefuses(MustNotBeNull, minimumCalls: 150, "null arguments",
        (member, index) => CallWith(member, index, argument: null, expected: error => error is ArgumentNullException));

    [Fact]
    public void EveryPublicMemberRefusesANullElementInAnArrayNamingTheParameter() => AssertEveryMemberRefuses(MustNotHoldNull, minimumCalls: 10, "arrays holding null",
        (member, index) => CallWith(member, index, ArrayHoldingNull(member.GetParameters()[index].ParameterType), expected: error => error is ArgumentException));

    private static void AssertEveryMemberRefuses(Func<ParameterInfo, NullabilityInfoContext, bool> applies, int minimumCalls, string what, Func<MethodBase, int, string?> call)
    {
        var failures = new List<string>();
        int calls = 0;
        var nullability = new NullabilityInfoContext();
        foreach (var open in typeof(Tensor).Assembly.GetExportedTypes().Where(type => !type.IsInterface && !type.IsEnum && !typeof(Delegate).IsAssignableFrom(type)))
        {
            if (!SampleValues.ClosesOverDouble(open))
            {
                failures.Add($"{open}: its type parameters cannot be double; teach SampleValues this type.");
                continue;
            }
            var type = SampleValues.Closed(open);
            var members = type.GetConstructors().Cast<MethodBase>()
                .Concat(type.GetMethods(Declared).Where(method => !method.IsAbstract).Select(SampleValues.Closed));
            foreach (var member in members)
            {
                var parameters = member.GetParameters();
                for (int index = 0; index < parameters.Length; index++)
                {
                    var parameter = parameters[index];
                    if (!applies(parameter, nullability))
                    {
                        continue;
                    }
                    calls++;
                    string? problem = call(member, index);
                    if (problem is not null)
                    {
                        failures.Add($"{type.Name}.{Describe(member)}, parameter '{parameter.Name}': {problem}");
                    }
                }
            }
        }

        Assert.True(calls > minimumCalls, $"only {calls} {what} were tried; the reflection walk is broken.");
        Assert.True(failures.Count == 0, $"{failures.Count} of {calls} {what} were not refused properly:\n" + string.Join("\n", failures));
    }

    private static bool MustNotBeNull(ParameterInfo parameter, NullabilityInfoContext nullability) =>
        !parameter.ParameterType.IsValueType && !parameter.ParameterType.IsByRef && !parameter.ParameterType.IsPointer
        && nullability.Create(parameter).WriteState == NullabilityState.NotNull;

    /// <summary>An array parameter, itself not nullable, whose elements are references declared not nullable.</summary>
    private static bool MustNotHoldNull(ParameterInfo parameter, NullabilityInfoContext nullability) =>
        parameter.ParameterType.IsArray && !parameter.ParameterType.GetElementType()!.IsValueType && MustNotBeNull(parameter, nullability)
        && nullability.Create(parameter).ElementType?.WriteState == NullabilityState.NotNull;

    /// <summary>An array of <paramref name="arrayType"/> with one element, null (as long as the other arrays the samples give).</summary>
    private static Array ArrayHoldingNull(Type arrayType) => Array.CreateInstance(arrayType.GetElementType()!, 1);

    /// <summary>
    /// Calls <paramref name="member"/> with <paramref name="argument"/> for parameter <paramref name="index"/> and samples
    /// for the others; returns what went wrong, or null when it threw the <paramref name="expected"/> kind of
    /// exception naming that parameter.
    /// </summary>
    private static string? CallWith(MethodBase member, int index, object? argument, Func<ArgumentException, bool> expected)
    {
        object? instance = null;
        if (member is MethodInfo { IsStatic: false })
        {
            instance = SampleValues.Of(member.DeclaringType!);
            if (instance is null)
            {
                return $"no sample instance of {member.DeclaringType} could be made; teach SampleValues this type.";
            }
        }
        var parameters = member.GetParameters();
        var arguments = new object?[parameters.Length];
        arguments[index] = argument;
        for (int i = 0; i < parameters.Length; i++)
        {
            var type = parameters[i].ParameterType;
            if (i == index || type.IsByRef || type.IsByRefLike || type.IsPointer)
            {
                continue;
            }
            arguments[i] = SampleValues.Of(type);
            if (arguments[i] is null && !type.IsValueType)
            {
                return $"no sample value of {type} for parameter '{parameters[i].Name}'; teach SampleValues this type.";
            }
        }
        try
        {
            ReflectionInvoker.Invoke(member, instance, arguments);
            return "no exception.";
        }
        catch (ArgumentException error) when (expected(error) && error.ParamName == parameters[index].Name)
        {
            return null;
        }
        catch (Exception error)
        {
            return $"{error.GetType().Name}{(error is ArgumentException refused ? $" (parameter '{refused.ParamName}')" : "")}: {error.Message.Split('\n')[0]}";
        }
    }

    private static string Describe(MethodBase member) =>
        $"{(member is ConstructorInfo ? "ctor" : member.Name)}({string.Join(", ", member.GetParameters().Select(parameter => parameter.ParameterType.Name))})";
}
