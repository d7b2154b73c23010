using System.Numerics;
using Onnx;
using TinyAutograd.Nn;

namespace TinyAutograd.Onnx.Graph;

/// <summary>
/// Builds one ONNX graph: nodes in the order they run, initializers (the weights, stored as float32), and the graph's
/// input and output. Node and value names are the module's dotted path and the operator (<c>0/Gemm</c>), made unique.
/// </summary>
internal sealed class OnnxGraphBuilder
{
    private readonly GraphProto _graph;
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    /// <summary>The initializer written for each tensor: a module applied twice, or a tied weight, is stored once.</summary>
    private readonly Dictionary<object, string> _written = new(ReferenceEqualityComparer.Instance);

    public OnnxGraphBuilder(string name) => _graph = new GraphProto { Name = name };

    /// <summary>Adds a node of <paramref name="opType"/> for the module at <paramref name="path"/>; returns the name of its one output.</summary>
    public string Node(string opType, string path, IEnumerable<string> inputs, params AttributeProto[] attributes)
    {
        string name = Unique(path.Length == 0 ? opType : $"{path}/{opType}");
        var node = new NodeProto { Name = name, OpType = opType };
        node.Input.AddRange(inputs);
        node.Output.Add(name);
        node.Attribute.AddRange(attributes);
        _graph.Node.Add(node);
        return name;
    }

    /// <summary>
    /// Adds the parameter or buffer registered as <paramref name="name"/> on <paramref name="module"/> as a float32
    /// initializer named by its dotted path (<c>0.weight</c>, as in the state dict); returns the name used.
    /// </summary>
    public string State<T>(Module<T> module, string name)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var tensor = module.StateDict()[name];
        if (_written.TryGetValue(tensor, out string? written))
        {
            return written;
        }
        string dotted = module.Path.Length == 0 ? name : $"{module.Path}.{name}";
        var values = new float[tensor.Length];
        var data = tensor.Data;
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = float.CreateTruncating(data[i]);
        }
        return _written[tensor] = Floats(dotted, values, [.. tensor.Shape.ToArray().Select(size => (long)size)]);
    }

    /// <summary>Adds a float32 initializer of shape <paramref name="dims"/>; returns the name used.</summary>
    public string Floats(string name, float[] values, long[] dims)
    {
        var initializer = new TensorProto { Name = Unique(name), DataType = (int)TensorProto.Types.DataType.Float };
        initializer.Dims.AddRange(dims);
        initializer.FloatData.AddRange(values);
        _graph.Initializer.Add(initializer);
        return initializer.Name;
    }

    /// <summary>Adds a 1-d int64 initializer (e.g. a target shape); returns the name used.</summary>
    public string Int64s(string name, long[] values)
    {
        var initializer = new TensorProto { Name = Unique(name), DataType = (int)TensorProto.Types.DataType.Int64 };
        initializer.Dims.Add(values.Length);
        initializer.Int64Data.AddRange(values);
        _graph.Initializer.Add(initializer);
        return initializer.Name;
    }

    /// <summary>Declares the graph's input: its element type and shape, the first axis named <paramref name="batchName"/> when given.</summary>
    public void Input(string name, TensorProto.Types.DataType type, IReadOnlyList<int> shape, string? batchName)
    {
        _names.Add(name);
        _graph.Input.Add(ValueInfo(name, type, shape, batchName));
    }

    /// <summary>
    /// Declares <paramref name="value"/> as the graph's output under <paramref name="name"/> (through an Identity node);
    /// with <paramref name="freeFirstAxis"/> its first axis is left unknown (it follows a free batch axis).
    /// </summary>
    public void Output(string value, string name, IReadOnlyList<int> shape, bool freeFirstAxis)
    {
        var node = new NodeProto { Name = Unique(name), OpType = "Identity" };
        node.Input.Add(value);
        node.Output.Add(node.Name);
        _graph.Node.Add(node);
        _graph.Output.Add(ValueInfo(node.Name, TensorProto.Types.DataType.Float, shape, freeFirstAxis ? "" : null));
    }

    /// <summary>The model: this graph with the IR version and operator set of <see cref="OnnxExport"/>.</summary>
    public ModelProto Model()
    {
        var model = new ModelProto
        {
            IrVersion = OnnxExport.IrVersion,
            ProducerName = "TinyAutograd",
            ProducerVersion = typeof(OnnxExport).Assembly.GetName().Version?.ToString() ?? "",
            Graph = _graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OnnxExport.Opset });
        return model;
    }

    /// <summary>A tensor's name, type and shape; a non-null <paramref name="batchName"/> frees the first axis (named, or unknown when empty).</summary>
    private static ValueInfoProto ValueInfo(string name, TensorProto.Types.DataType type, IReadOnlyList<int> shape, string? batchName)
    {
        var tensorShape = new TensorShapeProto();
        for (int axis = 0; axis < shape.Count; axis++)
        {
            tensorShape.Dim.Add((axis, batchName) switch
            {
                (0, "") => new TensorShapeProto.Types.Dimension(),
                (0, not null) => new TensorShapeProto.Types.Dimension { DimParam = batchName },
                _ => new TensorShapeProto.Types.Dimension { DimValue = shape[axis] },
            });
        }
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = tensorShape } },
        };
    }

    private string Unique(string name)
    {
        string unique = name;
        for (int suffix = 1; !_names.Add(unique); suffix++)
        {
            unique = $"{name}_{suffix}";
        }
        return unique;
    }
}
