using TinyAutograd.Nn;

namespace TinyAutograd.Tests.Nn;

/// <summary>RNN, LSTM and GRU against a naive reference: plain loops over doubles with the gate equations written out.</summary>
public sealed class RecurrentReferenceTests
{
    public static TheoryData<string, int, bool, bool> Configurations()
    {
        var data = new TheoryData<string, int, bool, bool>();
        foreach (var kind in RecurrentCase.Kinds)
        {
            data.Add(kind, 1, false, false);
            data.Add(kind, 2, true, true);
            data.Add(kind, 3, false, true);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void MatchesTheGateEquations(string kind, int layers, bool batchFirst, bool withInitialState)
    {
        const int steps = 4, batch = 3, inputSize = 5, hidden = 4;
        var layer = RecurrentCase.Create<double>(kind, inputSize, hidden, layers, batchFirst, seed: 11);
        var x = Tensor.Uniform<double>(batchFirst ? [batch, steps, inputSize] : [steps, batch, inputSize], -2, 2, seed: 12);
        var h0 = Tensor.Uniform<double>([layers, batch, hidden], -1, 1, seed: 13);
        var c0 = Tensor.Uniform<double>([layers, batch, hidden], -1, 1, seed: 14);
        RecurrentState<double>? initial = withInitialState ? new(h0, kind == "LSTM" ? c0 : null) : null;

        var result = layer.Forward(x, initial);

        var p = layer.NamedParameters().ToDictionary(pair => pair.Key, pair => pair.Value.ToArray());
        var xs = x.ToArray();
        double Input(int t, int b, int i) => xs[batchFirst ? (b * steps + t) * inputSize + i : (t * batch + b) * inputSize + i];
        var (output, hn, cn) = Reference(kind, p, Input, steps, batch, inputSize, hidden, layers,
            withInitialState ? h0.ToArray() : new double[layers * batch * hidden], withInitialState ? c0.ToArray() : new double[layers * batch * hidden]);

        int[] outputShape = batchFirst ? [batch, steps, hidden] : [steps, batch, hidden];
        Assert.Equal(outputShape, result.Output.Shape.ToArray());
        var actual = result.Output.ToArray();
        for (int t = 0; t < steps; t++)
        {
            for (int b = 0; b < batch; b++)
            {
                for (int j = 0; j < hidden; j++)
                {
                    int at = batchFirst ? (b * steps + t) * hidden + j : (t * batch + b) * hidden + j;
                    Assert.Equal(output[(t * batch + b) * hidden + j], actual[at], 12);
                }
            }
        }
        Assert.Equal([layers, batch, hidden], result.State.Hidden.Shape.ToArray());
        AssertClose(hn, result.State.Hidden.ToArray());
        if (kind == "LSTM")
        {
            AssertClose(cn, result.State.Cell!.ToArray());
        }
        else
        {
            Assert.Null(result.State.Cell);
        }
    }

    [Theory]
    [MemberData(nameof(KindsData))]
    public void FloatMatchesDouble(string kind)
    {
        var x = Tensor.Uniform<double>([3, 2, 4], -1, 1, seed: 5);
        var xf = Tensor.FromArray(x.ToArray().Select(v => (float)v).ToArray(), 3, 2, 4);
        var expected = RecurrentCase.Create<double>(kind, 4, 3, 2, batchFirst: false, seed: 6).Forward(x);
        var actual = RecurrentCase.Create<float>(kind, 4, 3, 2, batchFirst: false, seed: 6).Forward(xf);
        var expectedValues = expected.Output.ToArray();
        var actualValues = actual.Output.ToArray();
        for (int i = 0; i < expectedValues.Length; i++)
        {
            Assert.Equal(expectedValues[i], actualValues[i], 5);
        }
    }

    public static TheoryData<string> KindsData => [.. RecurrentCase.Kinds];

    [Theory]
    [MemberData(nameof(KindsData))]
    public void ParametersHavePyTorchsNamesLayoutsAndInitialization(string kind)
    {
        // PyTorch: for every layer k, weight_ih_lk [G·H, I_k], weight_hh_lk [G·H, H], bias_ih_lk, bias_hh_lk [G·H],
        // all from U(−1/√H, 1/√H), drawn in that order.
        const int inputSize = 5, hidden = 6, layers = 2;
        int gates = RecurrentCase.Gates(kind);
        var layer = RecurrentCase.Create<double>(kind, inputSize, hidden, layers, batchFirst: false, seed: 21);
        var reference = new RandomSource(21);
        double bound = 1 / Math.Sqrt(hidden);
        var expected = new List<(string Name, int[] Shape)>();
        for (int k = 0; k < layers; k++)
        {
            expected.Add(($"weight_ih_l{k}", [gates * hidden, k == 0 ? inputSize : hidden]));
            expected.Add(($"weight_hh_l{k}", [gates * hidden, hidden]));
            expected.Add(($"bias_ih_l{k}", [gates * hidden]));
            expected.Add(($"bias_hh_l{k}", [gates * hidden]));
        }
        var named = layer.NamedParameters().ToArray();
        Assert.Equal(expected.Select(e => e.Name), named.Select(pair => pair.Key));
        for (int i = 0; i < named.Length; i++)
        {
            Assert.Equal(expected[i].Shape, named[i].Value.Shape.ToArray());
            foreach (double value in named[i].Value.ToArray())
            {
                Assert.Equal(-bound + 2 * bound * reference.NextDouble(), value, 15);
            }
        }
        var withoutBias = RecurrentCase.Create<double>(kind, inputSize, hidden, 1, batchFirst: false, seed: 21, bias: false);
        Assert.Equal(["weight_ih_l0", "weight_hh_l0"], withoutBias.NamedParameters().Select(pair => pair.Key));
    }

    /// <summary>Time-major outputs [T, B, H] of the last layer, and the final h and c [L, B, H].</summary>
    private static (double[] Output, double[] Hidden, double[] Cell) Reference(string kind, Dictionary<string, double[]> p, Func<int, int, int, double> input,
        int steps, int batch, int inputSize, int hidden, int layers, double[] h0, double[] c0)
    {
        int gates = RecurrentCase.Gates(kind);
        var hn = new double[layers * batch * hidden];
        var cn = new double[layers * batch * hidden];
        var below = new double[steps, batch, Math.Max(inputSize, hidden)];
        for (int t = 0; t < steps; t++)
        {
            for (int b = 0; b < batch; b++)
            {
                for (int i = 0; i < inputSize; i++)
                {
                    below[t, b, i] = input(t, b, i);
                }
            }
        }
        var output = new double[steps * batch * hidden];
        for (int k = 0; k < layers; k++)
        {
            int width = k == 0 ? inputSize : hidden;
            double[] wih = p[$"weight_ih_l{k}"], whh = p[$"weight_hh_l{k}"];
            double[] bih = p.GetValueOrDefault($"bias_ih_l{k}") ?? new double[gates * hidden];
            double[] bhh = p.GetValueOrDefault($"bias_hh_l{k}") ?? new double[gates * hidden];
            for (int b = 0; b < batch; b++)
            {
                var h = new double[hidden];
                var c = new double[hidden];
                for (int j = 0; j < hidden; j++)
                {
                    h[j] = h0[(k * batch + b) * hidden + j];
                    c[j] = c0[(k * batch + b) * hidden + j];
                }
                for (int t = 0; t < steps; t++)
                {
                    var a = new double[gates * hidden];
                    var r = new double[gates * hidden];
                    for (int row = 0; row < gates * hidden; row++)
                    {
                        a[row] = bih[row];
                        for (int i = 0; i < width; i++)
                        {
                            a[row] += wih[row * width + i] * below[t, b, i];
                        }
                        r[row] = bhh[row];
                        for (int i = 0; i < hidden; i++)
                        {
                            r[row] += whh[row * hidden + i] * h[i];
                        }
                    }
                    var next = new double[hidden];
                    for (int j = 0; j < hidden; j++)
                    {
                        switch (kind)
                        {
                            case "RNN tanh":
                                next[j] = Math.Tanh(a[j] + r[j]);
                                break;
                            case "RNN relu":
                                next[j] = Math.Max(0, a[j] + r[j]);
                                break;
                            case "LSTM":
                                double ig = Sigmoid(a[j] + r[j]);
                                double fg = Sigmoid(a[hidden + j] + r[hidden + j]);
                                double gg = Math.Tanh(a[2 * hidden + j] + r[2 * hidden + j]);
                                double og = Sigmoid(a[3 * hidden + j] + r[3 * hidden + j]);
                                c[j] = fg * c[j] + ig * gg;
                                next[j] = og * Math.Tanh(c[j]);
                                break;
                            default:
                                double rg = Sigmoid(a[j] + r[j]);
                                double zg = Sigmoid(a[hidden + j] + r[hidden + j]);
                                double ng = Math.Tanh(a[2 * hidden + j] + rg * r[2 * hidden + j]);
                                next[j] = (1 - zg) * ng + zg * h[j];
                                break;
                        }
                    }
                    h = next;
                    for (int j = 0; j < hidden; j++)
                    {
                        below[t, b, j] = h[j];
                        output[(t * batch + b) * hidden + j] = h[j];
                    }
                }
                for (int j = 0; j < hidden; j++)
                {
                    hn[(k * batch + b) * hidden + j] = h[j];
                    cn[(k * batch + b) * hidden + j] = c[j];
                }
            }
        }
        return (output, hn, cn);
    }

    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    private static void AssertClose(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 12);
        }
    }
}
