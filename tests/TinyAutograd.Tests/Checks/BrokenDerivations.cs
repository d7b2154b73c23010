namespace TinyAutograd.Tests.Checks;

/// <summary>
/// Functions with hand derivations written out in plain loops over doubles (independent of the library's ops), right
/// and deliberately broken the ways people break them: a forgotten 1/N, swapped Kronecker factors, a transposed
/// gradient.
/// </summary>
internal static class BrokenDerivations
{
    /// <summary>Softmax regression on N = 12 samples of 3 features and 2 classes.</summary>
    public static class SoftmaxRegression
    {
        public const int N = 12, Features = 3, Classes = 2;
        private static readonly double[,] s_x = Random(N, Features, seed: 11);
        private static readonly int[] s_labels = [.. Enumerable.Range(0, N).Select(n => (n * 7 + 3) % Classes)];

        /// <summary>L(W) = (1/N) Σₙ −log softmax(xₙ·W)[yₙ], W of shape [3, 2].</summary>
        public static Tensor<double> Loss(Tensor<double> w) => TinyAutograd.Loss.CrossEntropy(Tensor.FromArray(s_x).MatMul(w), s_labels);

        /// <summary>∂L/∂W[a, c] = (1/N) Σₙ xₙₐ (pₙ꜀ − [yₙ = c]).</summary>
        public static Tensor<double> Gradient(Tensor<double> w)
        {
            var p = Probabilities(w);
            var g = new double[Features, Classes];
            for (int n = 0; n < N; n++)
            {
                for (int a = 0; a < Features; a++)
                {
                    for (int c = 0; c < Classes; c++)
                    {
                        g[a, c] += s_x[n, a] * (p[n, c] - (s_labels[n] == c ? 1 : 0)) / N;
                    }
                }
            }
            return Tensor.FromArray(g);
        }

        /// <summary>H[(a, c), (b, e)] = (1/N) Σₙ xₙₐ xₙ_b (pₙ꜀ δ꜀ₑ − pₙ꜀ pₙₑ), over W's elements row-major.</summary>
        public static Tensor<double> Hessian(Tensor<double> w) => HessianScaled(w, 1.0 / N);

        /// <summary>The same Hessian with the 1/N forgotten.</summary>
        public static Tensor<double> HessianMissingOneOverN(Tensor<double> w) => HessianScaled(w, 1.0);

        private static Tensor<double> HessianScaled(Tensor<double> w, double scale)
        {
            var p = Probabilities(w);
            int size = Features * Classes;
            var h = new double[size, size];
            for (int n = 0; n < N; n++)
            {
                for (int a = 0; a < Features; a++)
                {
                    for (int c = 0; c < Classes; c++)
                    {
                        for (int b = 0; b < Features; b++)
                        {
                            for (int e = 0; e < Classes; e++)
                            {
                                double curvature = (c == e ? p[n, c] : 0) - p[n, c] * p[n, e];
                                h[a * Classes + c, b * Classes + e] += scale * s_x[n, a] * s_x[n, b] * curvature;
                            }
                        }
                    }
                }
            }
            return Tensor.FromArray(h);
        }

        private static double[,] Probabilities(Tensor<double> w)
        {
            var p = new double[N, Classes];
            for (int n = 0; n < N; n++)
            {
                var logits = new double[Classes];
                for (int c = 0; c < Classes; c++)
                {
                    for (int a = 0; a < Features; a++)
                    {
                        logits[c] += s_x[n, a] * w[a, c];
                    }
                }
                double max = logits.Max(), total = logits.Sum(l => Math.Exp(l - max));
                for (int c = 0; c < Classes; c++)
                {
                    p[n, c] = Math.Exp(logits[c] - max) / total;
                }
            }
            return p;
        }
    }

    /// <summary>f(X) = ½ tr(Xᵀ·A·X·B) for symmetric A [3, 3] and B [2, 2], X of shape [3, 2]: its Hessian over X's
    /// elements row-major is A ⊗ B.</summary>
    public static class KroneckerQuadratic
    {
        private static readonly double[,] s_a = Symmetric(3, seed: 5);
        private static readonly double[,] s_b = Symmetric(2, seed: 6);

        public static Tensor<double> Function(Tensor<double> x) =>
            0.5 * (x * Tensor.FromArray(s_a).MatMul(x).MatMul(Tensor.FromArray(s_b))).Sum();

        /// <summary>∇f = A·X·B.</summary>
        public static Tensor<double> Gradient(Tensor<double> x) => Tensor.FromArray(s_a).MatMul(x).MatMul(Tensor.FromArray(s_b));

        /// <summary>A ⊗ B: element (a·2 + b, c·2 + d) = A[a, c]·B[b, d].</summary>
        public static Tensor<double> Hessian(Tensor<double> x) => Kronecker(s_a, s_b);

        /// <summary>The factors swapped: B ⊗ A.</summary>
        public static Tensor<double> HessianSwapped(Tensor<double> x) => Kronecker(s_b, s_a);

        private static Tensor<double> Kronecker(double[,] left, double[,] right)
        {
            int m = left.GetLength(0), n = right.GetLength(0);
            var k = new double[m * n, m * n];
            for (int i = 0; i < m * n; i++)
            {
                for (int j = 0; j < m * n; j++)
                {
                    k[i, j] = left[i / n, j / n] * right[i % n, j % n];
                }
            }
            return Tensor.FromArray(k);
        }
    }

    /// <summary>f(W) = ½‖X·W − Y‖² with W of shape [3, 3]: ∇f = Xᵀ·(X·W − Y).</summary>
    public static class LeastSquares
    {
        private static readonly double[,] s_x = Random(4, 3, seed: 21);
        private static readonly double[,] s_y = Random(4, 3, seed: 22);

        public static Tensor<double> Function(Tensor<double> w) => 0.5 * (Tensor.FromArray(s_x).MatMul(w) - Tensor.FromArray(s_y)).Square().Sum();

        public static Tensor<double> Gradient(Tensor<double> w)
        {
            var g = new double[3, 3];
            for (int n = 0; n < 4; n++)
            {
                for (int c = 0; c < 3; c++)
                {
                    double residual = -s_y[n, c];
                    for (int k = 0; k < 3; k++)
                    {
                        residual += s_x[n, k] * w[k, c];
                    }
                    for (int a = 0; a < 3; a++)
                    {
                        g[a, c] += s_x[n, a] * residual;
                    }
                }
            }
            return Tensor.FromArray(g);
        }

        /// <summary>The gradient transposed, as (X·W − Y)ᵀ·X gives it.</summary>
        public static Tensor<double> GradientTransposed(Tensor<double> w) => Gradient(w).Transpose();
    }

    private static double[,] Random(int rows, int columns, ulong seed)
    {
        var values = new RandomSource(seed).Normal<double>([rows, columns]).ToArray();
        var result = new double[rows, columns];
        for (int i = 0; i < values.Length; i++)
        {
            result[i / columns, i % columns] = values[i];
        }
        return result;
    }

    private static double[,] Symmetric(int size, ulong seed)
    {
        var r = Random(size, size, seed);
        var s = new double[size, size];
        for (int i = 0; i < size; i++)
        {
            for (int j = 0; j < size; j++)
            {
                s[i, j] = r[i, j] + r[j, i] + (i == j ? size : 0);
            }
        }
        return s;
    }
}
