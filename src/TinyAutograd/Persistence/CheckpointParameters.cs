using System.Numerics;
using TinyAutograd.Optim;

namespace TinyAutograd.Persistence;

public sealed partial class Checkpoint
{
    /// <summary>The prefix of the entries that hold parameters: parameter <c>w</c> is stored as <c>parameters/w</c>.</summary>
    public const string ParameterPrefix = "parameters/";

    /// <summary>Adds a copy of every named parameter, as entry <c>parameters/{name}</c>.</summary>
    /// <exception cref="ArgumentException">A name is empty or repeated, or an entry of that name exists; nothing is added.</exception>
    public void AddParameters<T>(IEnumerable<KeyValuePair<string, Tensor<T>>> parameters)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var added = new Checkpoint();
        foreach (var (name, tensor) in parameters)
        {
            added.AddTensor(ParameterPrefix + name, tensor);
        }
        foreach (var entry in added.Entries)
        {
            if (Contains(entry.Name))
            {
                throw new ArgumentException($"Checkpoint: there is already an entry '{entry.Name}'; names must be unique.", nameof(parameters));
            }
        }
        foreach (var entry in added.Entries)
        {
            Add(entry.Name, entry.ElementType, entry.Shape, entry.Values);
        }
    }

    /// <summary>
    /// Copies the saved values into the model's parameters, after checking every one of them: each parameter has an
    /// entry of its element type and shape, and every saved parameter of that element type belongs to the model. On
    /// any mismatch nothing is written and the exception lists every problem.
    /// </summary>
    /// <remarks>
    /// A model with float and double parameters restores with one call per element type: the saved parameters of the
    /// other type are left to the other call (one of them under a name this call restores is still a mismatch).
    /// Parameters are written in place (inside <see cref="GradMode.Disable"/>), which bumps their
    /// <see cref="Tensor{T}.Version"/>: a graph recorded before the load refuses to run backward afterwards.
    /// </remarks>
    /// <exception cref="CheckpointException">A parameter's entry is missing, has another element type or shape, or the checkpoint holds a parameter of this element type that the model lacks.</exception>
    /// <exception cref="ArgumentException">A parameter is not a leaf, was retired by a <see cref="TensorArena"/>, or a name repeats.</exception>
    public void RestoreParameters<T>(IEnumerable<KeyValuePair<string, Tensor<T>>> parameters)
        where T : unmanaged, IFloatingPointIeee754<T> => Restore(parameters, optimizer: null);

    /// <summary>
    /// Restores the model's parameters and, when given, the optimizer's state, all or nothing: everything is checked
    /// first, and if the optimizer refuses the saved state its previous state is put back before the exception.
    /// </summary>
    /// <exception cref="CheckpointException">As <see cref="RestoreParameters{T}"/>, or the optimizer state is missing, malformed, or does not fit the optimizer.</exception>
    /// <exception cref="ArgumentException">A parameter is not a leaf, was retired by a <see cref="TensorArena"/>, or a name repeats.</exception>
    public void Restore<T>(IEnumerable<KeyValuePair<string, Tensor<T>>> parameters, Optimizer<T>? optimizer)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var copies = PlanParameterCopies(parameters);
        if (optimizer is not null)
        {
            LoadOptimizerState(optimizer);
        }
        using (GradMode.Disable())
        {
            foreach (var (tensor, values) in copies)
            {
                values.CopyTo(tensor.GetSpanForWrite());
            }
        }
    }

    /// <summary>Pairs every parameter with its saved values, or throws listing every mismatch; writes nothing.</summary>
    private List<(Tensor<T> Tensor, T[] Values)> PlanParameterCopies<T>(IEnumerable<KeyValuePair<string, Tensor<T>>> parameters)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var copies = new List<(Tensor<T>, T[])>();
        var problems = new List<(CheckpointProblem Problem, string Entry, string Text)>();
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        var type = ElementTypeOf<T>();
        foreach (var (name, tensor) in parameters)
        {
            ArgumentNullException.ThrowIfNull(tensor, name);
            string entryName = ParameterPrefix + name;
            if (!wanted.Add(entryName))
            {
                throw new ArgumentException($"Checkpoint: the parameter name '{name}' is given twice.", nameof(parameters));
            }
            if (!tensor.IsLeaf || tensor.IsRetired)
            {
                throw new ArgumentException(
                    $"Checkpoint: parameter '{name}' ({tensor.Describe()}) is {(tensor.IsRetired ? "retired by a TensorArena" : "the result of a recorded operation")}; only live leaves can be restored.",
                    nameof(parameters));
            }
            if (!_byName.TryGetValue(entryName, out var entry))
            {
                problems.Add((CheckpointProblem.MissingEntry, entryName, $"parameter '{name}' ({tensor.Describe()}) has no entry '{entryName}'"));
            }
            else if (entry.ElementType != type)
            {
                problems.Add((CheckpointProblem.ElementTypeMismatch, entryName,
                    $"{entry.Describe()} holds {CheckpointEntry.Describe(entry.ElementType)} values but parameter '{name}' is {CheckpointEntry.Describe(type)}"));
            }
            else if (entry.Shape != tensor.Shape)
            {
                problems.Add((CheckpointProblem.ShapeMismatch, entryName, $"{entry.Describe()} does not fit parameter '{name}' of shape {tensor.Shape}"));
            }
            else
            {
                copies.Add((tensor, (T[])entry.Values));
            }
        }
        foreach (var entry in _entries)
        {
            if (entry.Name.StartsWith(ParameterPrefix, StringComparison.Ordinal) && entry.ElementType == type && !wanted.Contains(entry.Name))
            {
                problems.Add((CheckpointProblem.UnexpectedEntry, entry.Name, $"{entry.Describe()} matches no parameter of the model"));
            }
        }
        if (problems.Count > 0)
        {
            throw new CheckpointException(problems[0].Problem, problems[0].Entry,
                $"Checkpoint: the parameters do not match the model, so nothing was loaded ({problems.Count} problem{(problems.Count == 1 ? "" : "s")}): " +
                string.Join("; ", problems.Select(problem => problem.Text)) + ".");
        }
        return copies;
    }
}
