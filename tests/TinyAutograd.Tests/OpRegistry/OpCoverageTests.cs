using System.Reflection;
using Xunit.Sdk;

namespace TinyAutograd.Tests.OpRegistry;

/// <summary>
/// Every public differentiable op has a registry entry: each public method of the library's root namespace that
/// takes a tensor and returns one (the methods of <see cref="Tensor{T}"/>, the static helpers of <see cref="Tensor"/>,
/// the losses) is listed by some entry, unless it is one of the few named here as not being an op.
/// </summary>
public sealed class OpCoverageTests
{
    /// <summary>Public methods that take and return tensors but are not differentiable ops, each with the reason.</summary>
    private static readonly Dictionary<string, string> NotOps = new()
    {
        ["Tensor<T>.Detach()"] = "cuts the tensor from the graph: no gradient by design",
        ["Tensor<T>.Clone()"] = "a new leaf holding a copy of the values",
        ["Tensor<T>.RequireGrad(bool)"] = "marks a leaf and returns it",
        ["Tensor<T>.Greater(Tensor<T>)"] = "a 0/1 mask: no gradient by design (tested in Core/TensorComparisonTests)",
        ["Tensor<T>.Less(Tensor<T>)"] = "a 0/1 mask: no gradient by design (tested in Core/TensorComparisonTests)",
        ["Tensor<T>.Equal(Tensor<T>)"] = "a 0/1 mask: no gradient by design (tested in Core/TensorComparisonTests)",
        ["Tensor<T>.NotEqual(Tensor<T>)"] = "a 0/1 mask: no gradient by design (tested in Core/TensorComparisonTests)",
        ["Tensor<T>.GreaterOrEqual(Tensor<T>)"] = "a 0/1 mask: no gradient by design (tested in Core/TensorComparisonTests)",
        ["Tensor<T>.LessOrEqual(Tensor<T>)"] = "a 0/1 mask: no gradient by design (tested in Core/TensorComparisonTests)",
    };

    /// <summary>
    /// Types of the root namespace whose methods are not ops: transforms of functions (checked by the Transforms
    /// tests), the base of the user's own ops (whose rules are the user's, checked with GradCheck), memory scopes.
    /// </summary>
    private static readonly Type[] NotOpTypes = [typeof(AutoDiff), typeof(CustomOperation<>), typeof(TensorArena)];

    [Fact]
    public void EveryPublicDifferentiableOpHasARegistryEntry()
    {
        var covered = Registry.All.SelectMany(op => op.Members).ToHashSet(StringComparer.Ordinal);
        var missing = PublicOps().Where(signature => !covered.Contains(signature) && !NotOps.ContainsKey(signature)).ToList();
        if (missing.Count > 0)
        {
            throw new XunitException(
                $"{missing.Count} public differentiable op(s) have no entry in the op registry (tests/TinyAutograd.Tests/OpRegistry): " +
                string.Join("; ", missing) + ". Add an OpInfo whose Members list them, or name them in NotOps with the reason.");
        }
    }

    [Fact]
    public void EveryMemberAnEntryNamesExists()
    {
        var existing = PublicOps().ToHashSet(StringComparer.Ordinal);
        var stale = Registry.All.SelectMany(op => op.Members.Where(member => !existing.Contains(member)).Select(member => $"{op.Name}: {member}")).ToList();
        Assert.True(stale.Count == 0, "Registry entries name members that are not public ops: " + string.Join("; ", stale));
        Assert.All(NotOps.Keys, member => Assert.Contains(member, existing));
    }

    [Fact]
    public void EntryNamesAreUnique() =>
        Assert.Equal(Registry.All.Count, Registry.All.Select(op => op.Name).Distinct(StringComparer.Ordinal).Count());

    /// <summary>The signatures of the public methods of the root namespace that take a tensor (or are a tensor's) and return one.</summary>
    private static IEnumerable<string> PublicOps() =>
        from type in typeof(Tensor).Assembly.GetExportedTypes()
        where type.Namespace == typeof(Tensor).Namespace && !NotOpTypes.Contains(type.IsGenericType ? type.GetGenericTypeDefinition() : type)
        from method in type.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
        where !method.Name.StartsWith("get_", StringComparison.Ordinal) && !method.Name.StartsWith("set_", StringComparison.Ordinal)
        where IsTensor(method.ReturnType) && (IsTensorInstance(method) || method.GetParameters().Any(p => IsTensor(p.ParameterType) || IsTensor(p.ParameterType.GetElementType())))
        select MemberSignature.Of(method);

    private static bool IsTensorInstance(MethodInfo method) => !method.IsStatic && method.DeclaringType == typeof(Tensor<>);

    private static bool IsTensor(Type? type) => type is { IsGenericType: true } && type.GetGenericTypeDefinition() == typeof(Tensor<>);
}
