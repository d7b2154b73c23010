using System.Globalization;
using System.Text;

namespace TinyAutograd.Nn;

public abstract partial class Module<T>
{
    /// <summary>
    /// The tree as indented text: each module with its name, <see cref="Description"/> and parameter count, each
    /// parameter and buffer with its shape.
    /// </summary>
    /// <remarks>
    /// For example <c>Sequential (2,410 parameters)</c>, then <c>  0: Linear 4→10 (50 parameters)</c>,
    /// <c>    weight [10, 4]</c>, <c>    bias [10]</c>, … Frozen parameters are marked <c>(frozen)</c>.
    /// </remarks>
    public override string ToString()
    {
        var text = new StringBuilder();
        Format(text, "", 0);
        return text.ToString().TrimEnd('\n');
    }

    private void Format(StringBuilder text, string name, int depth)
    {
        string indent = new(' ', 2 * depth);
        text.Append(indent).Append(name.Length == 0 ? "" : name + ": ").Append(Description);
        long count = ParameterCount;
        if (count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $" ({count:N0} parameter{(count == 1 ? "" : "s")})");
        }
        text.Append('\n');
        foreach (var (parameterName, parameter) in _parameters)
        {
            text.Append(indent).Append(CultureInfo.InvariantCulture, $"  {parameterName} {parameter.Shape}{(parameter.RequiresGrad ? "" : " (frozen)")}\n");
        }
        foreach (var (bufferName, buffer) in _buffers)
        {
            text.Append(indent).Append(CultureInfo.InvariantCulture, $"  {bufferName} {buffer.Shape} (buffer)\n");
        }
        foreach (var (childName, child) in _children)
        {
            child.Format(text, childName, depth + 1);
        }
    }
}
