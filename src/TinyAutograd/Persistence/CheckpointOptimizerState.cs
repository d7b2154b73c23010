using System.Globalization;
using System.Numerics;
using TinyAutograd.Optim;

namespace TinyAutograd.Persistence;

public sealed partial class Checkpoint
{
    /// <summary>The prefix of the entries that hold an optimizer's state.</summary>
    /// <remarks>
    /// <c>optimizer/method</c> (text), <c>optimizer/learning-rates</c> (float64, one per group),
    /// <c>optimizer/parameters/{i}/step</c> (int64), <c>optimizer/parameters/{i}/buffers/{name}</c> (float64) and, for a
    /// named parameter, <c>optimizer/parameters/{i}/name</c> (text) per parameter i, <c>optimizer/scalars/{name}</c> and <c>optimizer/buffers/{name}</c> for the method-wide state.
    /// </remarks>
    public const string OptimizerPrefix = "optimizer/";

    private const string MethodEntry = OptimizerPrefix + "method";
    private const string LearningRatesEntry = OptimizerPrefix + "learning-rates";
    private const string ParametersPrefix = OptimizerPrefix + "parameters/";
    private const string ScalarsPrefix = OptimizerPrefix + "scalars/";
    private const string BuffersPrefix = OptimizerPrefix + "buffers/";

    /// <summary>Adds an optimizer's state (from <see cref="Optimizer{T}.SaveState"/>) under <see cref="OptimizerPrefix"/>.</summary>
    /// <exception cref="ArgumentException">The checkpoint already holds optimizer entries; nothing is added.</exception>
    public void AddOptimizerState(OptimizerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (_entries.Any(entry => entry.Name.StartsWith(OptimizerPrefix, StringComparison.Ordinal)))
        {
            throw new ArgumentException("Checkpoint: it already holds an optimizer state; one checkpoint holds one.", nameof(state));
        }
        AddText(MethodEntry, state.Method);
        AddArray(LearningRatesEntry, [.. state.LearningRates]);
        for (int i = 0; i < state.Parameters.Count; i++)
        {
            var parameter = state.Parameters[i];
            AddInteger($"{ParametersPrefix}{i}/step", parameter.Step);
            if (parameter.Name is not null)
            {
                AddText($"{ParametersPrefix}{i}/name", parameter.Name);
            }
            foreach (var (name, values) in parameter.Buffers.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            {
                AddArray($"{ParametersPrefix}{i}/buffers/{name}", values);
            }
        }
        foreach (var (name, value) in state.Scalars.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            AddScalar(ScalarsPrefix + name, value);
        }
        foreach (var (name, values) in state.Buffers.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            AddArray(BuffersPrefix + name, values);
        }
    }

    /// <summary>The optimizer state stored by <see cref="AddOptimizerState"/>.</summary>
    /// <exception cref="CheckpointException">The state is missing, or an optimizer entry is malformed.</exception>
    public OptimizerState GetOptimizerState()
    {
        string method = GetText(MethodEntry);
        var learningRates = GetArray(LearningRatesEntry);
        var steps = new SortedDictionary<int, long>();
        var parameterBuffers = new Dictionary<int, Dictionary<string, double[]>>();
        var parameterNames = new Dictionary<int, string>();
        var scalars = new Dictionary<string, double>(StringComparer.Ordinal);
        var buffers = new Dictionary<string, double[]>(StringComparer.Ordinal);
        foreach (var entry in _entries)
        {
            string name = entry.Name;
            if (!name.StartsWith(OptimizerPrefix, StringComparison.Ordinal) || name is MethodEntry or LearningRatesEntry)
            {
                continue;
            }
            if (name.StartsWith(ScalarsPrefix, StringComparison.Ordinal))
            {
                scalars.Add(name[ScalarsPrefix.Length..], GetScalar(name));
            }
            else if (name.StartsWith(BuffersPrefix, StringComparison.Ordinal))
            {
                buffers.Add(name[BuffersPrefix.Length..], GetArray(name));
            }
            else if (ParseParameterEntry(name) is var (index, buffer))
            {
                if (buffer is null)
                {
                    steps.Add(index, GetInteger(name));
                }
                else if (buffer.Length == 0)
                {
                    parameterNames.Add(index, GetText(name));
                }
                else
                {
                    if (!parameterBuffers.TryGetValue(index, out var own))
                    {
                        own = new Dictionary<string, double[]>(StringComparer.Ordinal);
                        parameterBuffers.Add(index, own);
                    }
                    own.Add(buffer, GetArray(name));
                }
            }
            else
            {
                throw new CheckpointException(CheckpointProblem.UnexpectedEntry, name, $"Checkpoint: '{name}' is not a known part of an optimizer state.");
            }
        }
        for (int i = 0; i < steps.Count; i++)
        {
            if (!steps.ContainsKey(i))
            {
                throw new CheckpointException(CheckpointProblem.MissingEntry, $"{ParametersPrefix}{i}/step",
                    $"Checkpoint: the optimizer state has {steps.Count} parameter steps but no '{ParametersPrefix}{i}/step'.");
            }
        }
        int orphan = parameterBuffers.Keys.Concat(parameterNames.Keys).FirstOrDefault(index => !steps.ContainsKey(index), -1);
        if (orphan >= 0)
        {
            throw new CheckpointException(CheckpointProblem.MissingEntry, $"{ParametersPrefix}{orphan}/step",
                $"Checkpoint: the optimizer state has entries for parameter {orphan} but no '{ParametersPrefix}{orphan}/step'.");
        }
        return new OptimizerState
        {
            Method = method,
            LearningRates = learningRates,
            Parameters = [.. steps.Select(pair => new ParameterStateSnapshot
            {
                Name = parameterNames.GetValueOrDefault(pair.Key),
                Step = pair.Value,
                Buffers = parameterBuffers.TryGetValue(pair.Key, out var own) ? own : new Dictionary<string, double[]>(),
            })],
            Scalars = scalars,
            Buffers = buffers,
        };
    }

    /// <summary>Loads the saved state into <paramref name="optimizer"/>, which changes nothing if it refuses it.</summary>
    private void LoadOptimizerState<T>(Optimizer<T> optimizer)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var state = GetOptimizerState();
        try
        {
            optimizer.LoadState(state);
        }
        catch (ArgumentException error)
        {
            throw new CheckpointException(CheckpointProblem.OptimizerMismatch, null,
                $"Checkpoint: the saved optimizer state does not fit this {optimizer.Method} optimizer, so nothing was loaded: {error.Message}", error);
        }
    }

    /// <summary>Splits <c>optimizer/parameters/{i}/step</c> into (i, null), <c>…/{i}/name</c> into (i, "") and <c>…/{i}/buffers/{name}</c> into (i, name).</summary>
    private static (int Index, string? Buffer)? ParseParameterEntry(string name)
    {
        if (!name.StartsWith(ParametersPrefix, StringComparison.Ordinal))
        {
            return null;
        }
        string rest = name[ParametersPrefix.Length..];
        int slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || !int.TryParse(rest.AsSpan(0, slash), NumberStyles.None, CultureInfo.InvariantCulture, out int index))
        {
            return null;
        }
        string part = rest[(slash + 1)..];
        return part == "step" ? (index, null)
            : part == "name" ? (index, "")
            : part.StartsWith("buffers/", StringComparison.Ordinal) && part.Length > "buffers/".Length ? (index, part["buffers/".Length..])
            : null;
    }
}
