using System.Globalization;
using System.Text;

namespace TinyAutograd;

public sealed partial class Tensor<T>
{
    private const int MaxShownPerAxis = 6;

    /// <summary>
    /// A readable rendering: nested brackets of values (long axes elided with …), then shape, element type and
    /// gradient status, e.g. <c>tensor([[1, 2], [3, 4]], shape=[2, 2], float64, requires_grad)</c>.
    /// </summary>
    public override string ToString()
    {
        var text = new StringBuilder("tensor(");
        if (IsRetired)
        {
            text.Append("<recycled by its TensorArena>");
        }
        else if (IsUnformed)
        {
            text.Append("<graph only, values never computed>");
        }
        else
        {
            AppendValues(text, 0, 0);
        }
        text.Append(", shape=").Append(Shape).Append(", ").Append(ElementTypeName);
        if (Name is not null)
        {
            text.Append(", name='").Append(Name).Append('\'');
        }
        if (Producer is not null)
        {
            text.Append(", op=").Append(Producer.Name);
        }
        else if (RequiresGrad)
        {
            text.Append(", requires_grad");
        }
        return text.Append(')').ToString();
    }

    private void AppendValues(StringBuilder text, int axis, int offset)
    {
        if (axis == Rank)
        {
            text.Append(Data[offset].ToString("G6", CultureInfo.InvariantCulture));
            return;
        }
        int size = Shape.Dimensions[axis];
        int stride = 1;
        for (int a = axis + 1; a < Rank; a++)
        {
            stride *= Shape.Dimensions[a];
        }
        text.Append('[');
        for (int i = 0; i < size; i++)
        {
            if (size > MaxShownPerAxis && i == MaxShownPerAxis / 2)
            {
                text.Append("…, ");
                i = size - MaxShownPerAxis / 2;
            }
            AppendValues(text, axis + 1, offset + i * stride);
            if (i < size - 1)
            {
                text.Append(", ");
            }
        }
        text.Append(']');
    }
}
