namespace TinyAutograd.Tests.Testing;

/// <summary>
/// Checks an op's Hessian-vector products and its forward-mode Jacobian-vector products, in double precision.
/// </summary>
/// <remarks>
/// With f(x) = Σ weights ⊙ op(x) (the scalarized op, see <see cref="OpCase"/>) and the directions of a <see cref="Probe"/>:
/// (a) H·v by <see cref="AutoDiff.HessianVectorProduct{T}(Func{Tensor{T}[], Tensor{T}}, Tensor{T}[], Tensor{T}[], HessianVectorMethod)"/>
/// (forward-over-reverse, the default) matches the central difference of ∇f along v;
/// (b) forward-over-reverse and reverse-over-reverse agree;
/// (c) ⟨w, H·v⟩ = ⟨v, H·w⟩;
/// (d) H·(αv + βw) = α·H·v + β·H·w;
/// and for the op itself (any output shape):
/// (e) J·v by <see cref="AutoDiff.Jvp{T}(Func{Tensor{T}[], Tensor{T}}, Tensor{T}[], Tensor{T}[])"/> matches the central difference of the op along v;
/// (f) ⟨u, J·v⟩ = Σᵢ ⟨Jᵢᵀ·u, vᵢ⟩, the right side by one <see cref="AutoDiff.Vjp{T}(Func{Tensor{T}[], Tensor{T}}, Tensor{T}[], Tensor{T})"/> over all inputs.
/// </remarks>
public static class SecondOrderChecker
{
    /// <summary>Throws, naming the op and the property that failed, unless all six properties hold.</summary>
    public static void Check(OpCase opCase, Probe probe, SecondOrderTolerances tolerances)
    {
        var hv = HessianTimes(opCase, probe.V);
        var hw = HessianTimes(opCase, probe.W);
        HessianMatchesDifferences(opCase, probe, hv, tolerances.HessianVsDifferences);
        MethodsAgree(opCase, probe, hv, tolerances.MethodAgreement);
        HessianIsSymmetric(opCase, probe, hv, hw, tolerances.Symmetry);
        HessianIsLinear(opCase, probe, hv, hw, tolerances.Linearity);
        var (value, jv) = AutoDiff.Jvp(opCase.Function, opCase.Inputs, At(opCase, probe.V));
        JvpMatchesDifferences(opCase, probe, value.Shape, jv.ToArray(), tolerances.JvpVsDifferences);
        JvpIsAdjointOfVjp(opCase, probe, value.Shape, jv.ToArray(), tolerances.Adjoint);
    }

    private static void HessianMatchesDifferences(OpCase opCase, Probe probe, double[] hv, Tolerance tolerance)
    {
        var x = GradientChecker.ValuesOf(opCase.Inputs);
        var differences = FiniteDifferences.Derivative(
            t => Flatten(GradientChecker.Analytic(opCase.Scalarized, At(opCase, FiniteDifferences.Shift(x, probe.V, t)))),
            FiniteDifferences.DirectionalStep);
        ElementwiseComparison.Require($"{opCase.Name}: H·v (forward-over-reverse) vs the central difference of the gradient along v",
            new Shape(hv.Length), hv, differences, tolerance);
    }

    private static void MethodsAgree(OpCase opCase, Probe probe, double[] hv, double relative)
    {
        var reverse = Flatten(AutoDiff.HessianVectorProduct(opCase.Scalarized, opCase.Inputs, At(opCase, probe.V), HessianVectorMethod.ReverseOverReverse));
        ElementwiseComparison.Require($"{opCase.Name}: H·v by reverse-over-reverse vs forward-over-reverse", new Shape(hv.Length), reverse, hv,
            Tolerance.RelativeToLargest(relative, hv), "reverse-over-reverse", "forward-over-reverse");
    }

    private static void HessianIsSymmetric(OpCase opCase, Probe probe, double[] hv, double[] hw, double relative)
    {
        var v = Flatten(probe.V);
        var w = Flatten(probe.W);
        double scale = Math.Max(1, AbsoluteDot(w, hv) + AbsoluteDot(v, hw));
        ElementwiseComparison.Require($"{opCase.Name}: symmetry ⟨w, H·v⟩ = ⟨v, H·w⟩", Dot(w, hv), Dot(v, hw),
            new Tolerance(relative * scale, 0), "⟨w, H·v⟩", "⟨v, H·w⟩");
    }

    private static void HessianIsLinear(OpCase opCase, Probe probe, double[] hv, double[] hw, double relative)
    {
        var combination = probe.V.Select((vi, i) => vi.Select((vij, j) => probe.Alpha * vij + probe.Beta * probe.W[i][j]).ToArray()).ToArray();
        var combined = HessianTimes(opCase, combination);
        var expected = hv.Select((h, k) => probe.Alpha * h + probe.Beta * hw[k]).ToArray();
        ElementwiseComparison.Require($"{opCase.Name}: linearity H·(αv + βw) = α·H·v + β·H·w", new Shape(hv.Length), combined, expected,
            Tolerance.RelativeToLargest(relative, expected), "H·(αv + βw)", "α·H·v + β·H·w");
    }

    private static void JvpMatchesDifferences(OpCase opCase, Probe probe, Shape shape, double[] jv, Tolerance tolerance)
    {
        var differences = FiniteDifferences.Directional(
            values => GradientChecker.Evaluate(opCase.Function, opCase.Inputs, values).ToArray(), GradientChecker.ValuesOf(opCase.Inputs), probe.V);
        ElementwiseComparison.Require($"{opCase.Name}: J·v (forward mode) vs the central difference of the op along v", shape, jv, differences, tolerance);
    }

    private static void JvpIsAdjointOfVjp(OpCase opCase, Probe probe, Shape shape, double[] jv, double relative)
    {
        var (_, vjp) = AutoDiff.Vjp(opCase.Function, opCase.Inputs, NdIndex.TensorOf(shape, probe.U));
        double reverse = 0, scale = AbsoluteDot(probe.U, jv);
        for (int i = 0; i < vjp.Length; i++)
        {
            reverse += Dot(vjp[i].ToArray(), probe.V[i]);
            scale += AbsoluteDot(vjp[i].ToArray(), probe.V[i]);
        }
        ElementwiseComparison.Require($"{opCase.Name}: adjoint ⟨u, J·v⟩ = ⟨Jᵀ·u, v⟩", Dot(probe.U, jv), reverse,
            new Tolerance(relative * Math.Max(1, scale), 0), "⟨u, J·v⟩ (forward)", "⟨Jᵀ·u, v⟩ (reverse)");
    }

    private static double[] HessianTimes(OpCase opCase, double[][] direction) =>
        Flatten(AutoDiff.HessianVectorProduct(opCase.Scalarized, opCase.Inputs, At(opCase, direction)));

    private static Tensor<double>[] At(OpCase opCase, double[][] values) => GradientChecker.TensorsAt(opCase.Inputs, values);

    private static double[] Flatten(IEnumerable<Tensor<double>> tensors) => tensors.SelectMany(t => t.ToArray()).ToArray();

    private static double[] Flatten(double[][] arrays) => arrays.SelectMany(a => a).ToArray();

    private static double Dot(double[] a, double[] b) => a.Zip(b, (p, q) => p * q).Sum();

    private static double AbsoluteDot(double[] a, double[] b) => a.Zip(b, (p, q) => Math.Abs(p * q)).Sum();
}
