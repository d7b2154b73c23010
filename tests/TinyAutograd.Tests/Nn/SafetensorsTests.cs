using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using TinyAutograd.Nn;
using TinyAutograd.Tests.Reliability;

namespace TinyAutograd.Tests.Nn;

/// <summary>
/// Safetensors files: what the library writes is read back by a reader written here from the format's description
/// alone, byte for byte; files built here by hand load; malformed files are refused with the tensor named.
/// </summary>
public sealed class SafetensorsTests
{
    [Fact]
    public void ALibraryFileReadsBackWithAnIndependentReaderWithIdenticalBytes()
    {
        using var directory = new TemporaryDirectory();
        string path = Path.Combine(directory.Path, "model.safetensors");
        var state = new StateDict<double>();
        state.Add("fc1.weight", Tensor.Normal<double>([3, 2], seed: 1));
        state.Add("fc1.bias", Tensor.FromArray([double.NaN, double.NegativeInfinity, -0.0]));
        state.Add("scale", Tensor.Scalar(2.5));
        state.Add("empty", Tensor.Zeros<double>(0, 4));
        state.Metadata["format"] = "pt";
        state.SaveSafetensors(path);

        var file = File.ReadAllBytes(path);
        var (header, metadata, data) = ReadIndependently(file);
        Assert.Equal(new Dictionary<string, string> { ["format"] = "pt" }, metadata);
        Assert.Equal(state.Keys.Order(StringComparer.Ordinal), header.Keys.Order(StringComparer.Ordinal));
        long covered = 0;
        foreach (var (name, tensor) in state)
        {
            var (dtype, shape, begin, end) = header[name];
            Assert.Equal("F64", dtype);
            Assert.Equal(tensor.Shape.ToArray(), shape);
            Assert.Equal(LittleEndianBytes(tensor.ToArray()), data[(int)begin..(int)end]);
            covered += end - begin;
        }
        Assert.Equal(data.Length, covered);
        Assert.Equal(0, (file.Length - data.Length) % 8);
    }

    [Fact]
    public void AFloatFileHasF32EntriesWithTheValuesBits()
    {
        var weight = Tensor.Uniform<float>([2, 3], -1, 1, seed: 3);
        var file = Safetensors.Encode([new KeyValuePair<string, Tensor<float>>("w", weight)]);
        var (header, metadata, data) = ReadIndependently(file);
        Assert.Empty(metadata);
        Assert.Equal(("F32", 0L, 24L), (header["w"].Dtype, header["w"].Begin, header["w"].End));
        Assert.Equal([2, 3], header["w"].Shape);
        var bytes = new byte[24];
        for (int i = 0; i < 6; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(4 * i), weight.Data[i]);
        }
        Assert.Equal(bytes, data);
    }

    [Fact]
    public void AHandMadeFileLoadsIntoALinearLayer()
    {
        // A PyTorch nn.Linear(2, 3) state dict as safetensors: weight [out, in] = [3, 2], bias [3], F32.
        float[] weight = [1, 2, 3, 4, 5, 6];
        float[] bias = [0.5f, -0.5f, 0.25f];
        const string json = """{"__metadata__":{"format":"pt"},"bias":{"dtype":"F32","shape":[3],"data_offsets":[0,12]},"weight":{"dtype":"F32","shape":[3,2],"data_offsets":[12,36]}}""";
        var file = HandMade(json, [.. LittleEndianBytes(bias), .. LittleEndianBytes(weight)]);
        using var directory = new TemporaryDirectory();
        string path = Path.Combine(directory.Path, "linear.safetensors");
        File.WriteAllBytes(path, file);

        var state = StateDict<float>.LoadSafetensors(path);
        Assert.Equal("pt", state.Metadata["format"]);
        var layer = new Linear<float>(2, 3, new RandomSource(0));
        Assert.True(layer.LoadStateDict(state).IsExactMatch);
        var y = layer.Forward(Tensor.FromArray([1f, 1f], 1, 2));
        Assert.Equal([3.5f, 6.5f, 11.25f], y.ToArray());

        var doubles = StateDict<double>.LoadSafetensors(path);
        Assert.Equal(weight.Select(v => (double)v), doubles["weight"].ToArray());
    }

    [Fact]
    public void TheCheckedInHandWrittenFixtureLoads()
    {
        // Fixtures/linear-2-to-3.safetensors was written byte by byte from the format description (see Fixtures/README.md):
        // nn.Linear(2, 3) with weight [[1, 2], [3, 4], [5, 6]] and bias [0.5, −0.5, 0.25].
        var state = StateDict<float>.LoadSafetensors(Path.Combine(AppContext.BaseDirectory, "Fixtures", "linear-2-to-3.safetensors"));
        Assert.Equal("pt", state.Metadata["format"]);
        Assert.Equal(new Shape(3, 2), state["weight"].Shape);
        var layer = new Linear<float>(2, 3, new RandomSource(0));
        Assert.True(layer.LoadStateDict(state).IsExactMatch);
        Assert.Equal([1f + 2 + 0.5f, 3f + 4 - 0.5f, 5f + 6 + 0.25f], layer.Forward(Tensor.FromArray([1f, 1f], 1, 2)).ToArray());
    }

    [Fact]
    public void AHandMadeF64FileWithAScalarAndPaddingLoads()
    {
        const string json = """{"t":{"dtype":"F64","shape":[],"data_offsets":[0,8]}}     """;
        var state = Safetensors.Decode<double>(HandMade(json, LittleEndianBytes([Math.PI])));
        Assert.Equal(0, state["t"].Rank);
        Assert.Equal(Math.PI, state["t"].ToScalar());
    }

    [Fact]
    public void AHandMadePyTorchBatchNormFileWithAnInt64CounterLoadsStrictly()
    {
        // nn.BatchNorm1d(2) after 7 training batches: weight, bias, running_mean, running_var F32 [2], num_batches_tracked I64 [].
        const string json = """{"bias":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"num_batches_tracked":{"dtype":"I64","shape":[],"data_offsets":[8,16]},"running_mean":{"dtype":"F32","shape":[2],"data_offsets":[16,24]},"running_var":{"dtype":"F32","shape":[2],"data_offsets":[24,32]},"weight":{"dtype":"F32","shape":[2],"data_offsets":[32,40]}}""";
        var counter = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(counter, 7);
        var file = HandMade(json, [.. LittleEndianBytes([0.5f, -1f]), .. counter, .. LittleEndianBytes([2f, 3f]), .. LittleEndianBytes([4f, 0.25f]), .. LittleEndianBytes([1f, 2f])]);
        var layer = new BatchNorm1d<float>(2);
        Assert.True(layer.LoadStateDict(Safetensors.Decode<float>(file)).IsExactMatch);
        Assert.Equal(7f, layer.StateDict()["num_batches_tracked"].ToScalar());
        layer.Eval();
        var y = layer.Forward(Tensor.FromArray([2f, 3f], 1, 2)).ToArray();
        Assert.Equal(0.5f, y[0], 1e-6f);
        Assert.Equal(-1f, y[1], 1e-6f);
    }

    [Theory]
    [InlineData("""{"a":{"dtype":"BF16","shape":[2],"data_offsets":[0,4]}}""", 4, "tensor 'a' has dtype BF16")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,12]}}""", 12, "tensor 'a' (F32, shape [2]) has data_offsets [0,12]")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", 4, "overlaps")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", 8, "hole of 4 bytes before tensor 'a'")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", 8, "cover 4 of the 8 data bytes")]
    [InlineData("""{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}""", 4, "not a list of non-negative integers")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1]}}""", 4, "tensor 'a' lacks")]
    [InlineData("""{"a": [""", 4, "not valid JSON")]
    public void MalformedFilesAreRefusedNamingTheProblem(string json, int dataBytes, string expected)
    {
        var error = Assert.Throws<InvalidDataException>(() => Safetensors.Decode<float>(HandMade(json, new byte[dataBytes])));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AHeaderLengthBeyondTheFileIsRefused()
    {
        var file = HandMade("{}", []);
        BinaryPrimitives.WriteUInt64LittleEndian(file, 1000);
        Assert.Contains("header length 1000", Assert.Throws<InvalidDataException>(() => Safetensors.Decode<float>(file)).Message, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => Safetensors.Decode<float>(file.AsSpan(0, 5)));
    }

    /// <summary>The bytes of a file: 8-byte little-endian header length, the header as UTF-8, the data.</summary>
    private static byte[] HandMade(string json, byte[] data)
    {
        var header = Encoding.UTF8.GetBytes(json);
        var file = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)header.Length);
        header.CopyTo(file, 8);
        data.CopyTo(file, 8 + header.Length);
        return file;
    }

    /// <summary>
    /// Reads a safetensors file from the format's description only: u64 little-endian N, N bytes of JSON, then data.
    /// </summary>
    private static (Dictionary<string, (string Dtype, int[] Shape, long Begin, long End)> Header, Dictionary<string, string> Metadata, byte[] Data) ReadIndependently(byte[] file)
    {
        long n = (long)BinaryPrimitives.ReadUInt64LittleEndian(file);
        using var json = JsonDocument.Parse(file.AsMemory(8, (int)n));
        var header = new Dictionary<string, (string, int[], long, long)>();
        var metadata = new Dictionary<string, string>();
        foreach (var property in json.RootElement.EnumerateObject())
        {
            if (property.Name == "__metadata__")
            {
                foreach (var entry in property.Value.EnumerateObject())
                {
                    metadata[entry.Name] = entry.Value.GetString()!;
                }
                continue;
            }
            var offsets = property.Value.GetProperty("data_offsets");
            header[property.Name] = (
                property.Value.GetProperty("dtype").GetString()!,
                [.. property.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32())],
                offsets[0].GetInt64(),
                offsets[1].GetInt64());
        }
        return (header, metadata, file[(8 + (int)n)..]);
    }

    private static byte[] LittleEndianBytes(double[] values)
    {
        var bytes = new byte[8 * values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(8 * i), BitConverter.DoubleToInt64Bits(values[i]));
        }
        return bytes;
    }

    private static byte[] LittleEndianBytes(float[] values)
    {
        var bytes = new byte[4 * values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4 * i), BitConverter.SingleToInt32Bits(values[i]));
        }
        return bytes;
    }
}
