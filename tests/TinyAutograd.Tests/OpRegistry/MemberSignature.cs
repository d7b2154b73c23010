using System.Reflection;
using System.Runtime.CompilerServices;

namespace TinyAutograd.Tests.OpRegistry;

/// <summary>
/// A public member written as C# readers know it, e.g. <c>Tensor&lt;T&gt;.Sum(int[], bool)</c> or
/// <c>Tensor&lt;T&gt;.op_Addition(Tensor&lt;T&gt;, double)</c>, so registry entries can name what they cover.
/// </summary>
public static class MemberSignature
{
    private static readonly Dictionary<Type, string> Keywords = new()
    {
        [typeof(int)] = "int",
        [typeof(bool)] = "bool",
        [typeof(double)] = "double",
        [typeof(float)] = "float",
    };

    /// <summary>
    /// The declaring type, the name and the parameter types of <paramref name="method"/>, leaving out the parameters
    /// the compiler fills in with the caller's file, line or member.
    /// </summary>
    public static string Of(MethodInfo method) =>
        $"{Format(method.DeclaringType!)}.{method.Name}({string.Join(", ", method.GetParameters().Where(p => !IsCallerInfo(p)).Select(p => Format(p.ParameterType)))})";

    private static bool IsCallerInfo(ParameterInfo parameter) =>
        parameter.IsDefined(typeof(CallerFilePathAttribute)) || parameter.IsDefined(typeof(CallerLineNumberAttribute)) ||
        parameter.IsDefined(typeof(CallerMemberNameAttribute)) || parameter.IsDefined(typeof(CallerArgumentExpressionAttribute));

    private static string Format(Type type)
    {
        if (type.IsGenericParameter)
        {
            return type.Name;
        }
        if (type.IsArray)
        {
            return Format(type.GetElementType()!) + "[]";
        }
        if (type.IsGenericType)
        {
            return $"{type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(", ", type.GetGenericArguments().Select(Format))}>";
        }
        return Keywords.TryGetValue(type, out var keyword) ? keyword : type.Name;
    }
}
