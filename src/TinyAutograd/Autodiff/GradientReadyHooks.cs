using System.Numerics;
using System.Runtime.CompilerServices;
using TinyAutograd.Differentiation;

namespace TinyAutograd;

/// <summary>
/// Callbacks that run during <see cref="Tensor{T}.Backward(bool?, bool)"/> as soon as a leaf's <see cref="Tensor{T}.Grad"/>
/// is final for that pass (PyTorch's <c>register_post_accumulate_grad_hook</c>), while the rest of the backward pass
/// is still running.
/// </summary>
/// <remarks>
/// <para>
/// The backward walk visits the recorded operations in a reverse topological order. A leaf's gradient is final once every
/// operation in the walk that takes the leaf as an input has been visited: its last such operation is the one with the
/// highest position p in the walk, and the leaf's hooks run just before the operation at position p + 1 (or after the
/// last one). Data-parallel training starts sending a group of gradients from there, overlapping the transfer with the
/// backward of the earlier layers.
/// </para>
/// <para>
/// Hooks run on the thread that runs the backward, only for passes that fill <c>Grad</c> (not for
/// <see cref="AutoDiff"/>'s gradient functions), only for leaves that some operation of the pass uses, and in the
/// order their gradients become final. A hook may read the leaf's <c>Grad</c> but must not write it: the pass may still
/// hold its memory. When no hook is registered the pass pays one comparison.
/// </para>
/// </remarks>
public static class GradientReadyHooks
{
    private static int s_registered;

    /// <summary>Whether any hook is registered anywhere (read by every backward pass, so it must stay cheap).</summary>
    internal static bool Any => Volatile.Read(ref s_registered) > 0;

    /// <summary>Runs <paramref name="hook"/> with <paramref name="leaf"/> each time a backward pass has finished accumulating its gradient.</summary>
    /// <exception cref="ArgumentException"><paramref name="leaf"/> is the result of a recorded operation, or does not require grad.</exception>
    public static void Add<T>(Tensor<T> leaf, Action<Tensor<T>> hook)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(leaf);
        ArgumentNullException.ThrowIfNull(hook);
        if (!leaf.IsLeaf || !leaf.RequiresGrad)
        {
            throw new ArgumentException(
                $"GradientReadyHooks.Add: {leaf.Describe()} is {(leaf.IsLeaf ? "a leaf that does not require grad" : "the result of a recorded operation")}; " +
                "hooks watch leaves with RequiresGrad = true, whose Grad a backward pass fills.", nameof(leaf));
        }
        lock (Table<T>.Hooks)
        {
            var hooks = Table<T>.Hooks.TryGetValue(leaf, out var existing) ? existing : [];
            Table<T>.Hooks.AddOrUpdate(leaf, [.. hooks, hook]);
            Interlocked.Increment(ref s_registered);
        }
    }

    /// <summary>Removes one registration of <paramref name="hook"/> from <paramref name="leaf"/>; returns whether there was one.</summary>
    public static bool Remove<T>(Tensor<T> leaf, Action<Tensor<T>> hook)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(leaf);
        ArgumentNullException.ThrowIfNull(hook);
        lock (Table<T>.Hooks)
        {
            int index = Table<T>.Hooks.TryGetValue(leaf, out var hooks) ? Array.IndexOf(hooks, hook) : -1;
            if (index < 0)
            {
                return false;
            }
            Table<T>.Hooks.AddOrUpdate(leaf, [.. hooks!.AsSpan(0, index), .. hooks.AsSpan(index + 1)]);
            Interlocked.Decrement(ref s_registered);
            return true;
        }
    }

    /// <summary>
    /// The hooked leaves of a walk over <paramref name="nodes"/> (in walk order) with the position of their last user,
    /// or null when there is nothing to call (no hook, or a pass that does not fill <c>Grad</c>).
    /// </summary>
    internal static Schedule<T>? Plan<T>(Node<T>[] nodes, int count, bool fillsGrad)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!fillsGrad || !Any)
        {
            return null;
        }
        var lastUse = new Dictionary<Tensor<T>, (int Position, Action<Tensor<T>>[] Hooks)>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < count; i++)
        {
            var node = nodes[i];
            for (int j = 0; j < node.InputCount; j++)
            {
                var input = node.Input(j);
                if (input.IsLeaf && input.RequiresGrad && Table<T>.Hooks.TryGetValue(input, out var hooks) && hooks.Length > 0)
                {
                    lastUse[input] = (i, hooks);
                }
            }
        }
        return lastUse.Count == 0 ? null : new Schedule<T>(lastUse);
    }

    /// <summary>One walk's hooked leaves in the order their gradients become final.</summary>
    internal sealed class Schedule<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly (Tensor<T> Leaf, int Position, Action<Tensor<T>>[] Hooks)[] _leaves;
        private int _next;

        public Schedule(Dictionary<Tensor<T>, (int Position, Action<Tensor<T>>[] Hooks)> lastUse)
        {
            _leaves = lastUse.Select(entry => (entry.Key, entry.Value.Position, entry.Value.Hooks)).OrderBy(entry => entry.Position).ToArray();
        }

        /// <summary>Runs the hooks of every leaf whose last user sits before walk position <paramref name="position"/>.</summary>
        public void Reached(int position)
        {
            for (; _next < _leaves.Length && _leaves[_next].Position < position; _next++)
            {
                var (leaf, _, hooks) = _leaves[_next];
                foreach (var hook in hooks)
                {
                    hook(leaf);
                }
            }
        }
    }

    private static class Table<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static readonly ConditionalWeakTable<Tensor<T>, Action<Tensor<T>>[]> Hooks = [];
    }
}
