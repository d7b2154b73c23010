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
    public void EveryPublicMemberRefusesNullNamingTheParameter()
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
                    if (!MustNotBeNull(parameter, nullability))
                    {
                        continue;
                    }
                    calls++;
                    string? problem = CallWithNull(member, index);
                    if (problem is not null)
                    {
                        failures.Add($"{type.Name}.{Describe(member)}, parameter '{parameter.Name}': {problem}");
                    }
                }
            }
        }

        Assert.True(calls > 150, $"only {calls} null arguments were tried; the reflection walk is broken.");
        Assert.True(failures.Count == 0, $"{failures.Count} of {calls} null arguments were not refused properly:\n" + string.Join("\n", failures));
    }

    private static bool MustNotBeNull(ParameterInfo parameter, NullabilityInfoContext nullability) =>
        !parameter.ParameterType.IsValueType && !parameter.ParameterType.IsByRef && !parameter.ParameterType.IsPointer
        && nullability.Create(parameter).WriteState == NullabilityState.NotNull;

    /// <summary>Calls <paramref name="member"/> with null for parameter <paramref name="index"/>; returns what went wrong, or null.</summary>
    private static string? CallWithNull(MethodBase member, int index)
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
        catch (ArgumentNullException error) when (error.ParamName == parameters[index].Name)
        {
            return null;
        }
        catch (Exception error)
        {
            return $"{error.GetType().Name}{(error is ArgumentException argument ? $" (parameter '{argument.ParamName}')" : "")}: {error.Message.Split('\n')[0]}";
        }
    }

    private static string Describe(MethodBase member) =>
        $"{(member is ConstructorInfo ? "ctor" : member.Name)}({string.Join(", ", member.GetParameters().Select(parameter => parameter.ParameterType.Name))})";
}
