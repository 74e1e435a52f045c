using Vinfer.Distributions;
using Vinfer.Modeling;
using Vinfer.Objectives;
using Vinfer.Random;
using Vinfer.Tensors;
using static Vinfer.Modeling.Primitives;

namespace Vinfer.Experiments.ImportanceWeighting;

/// <summary>
/// The Gaussian example of Rainforth et al., "Tighter variational bounds are not necessarily better" (ICML 2018,
/// section 6.1): z ~ N(μ, I_d), x | z ~ N(z, I_d), one observation x, and the inference network
/// q(z | x) = N(a∘x + b, (2/3) I_d) evaluated near its optimum a* = ½, b* = μ/2 (the posterior is N((μ + x)/2, ½ I)),
/// moved off it by a constant offset δ in every coordinate of a and b (Rainforth et al. perturb by N(0, 0.01²); a
/// fixed offset makes the first coordinate's setting, hence the signal, the same for every d, and a larger one keeps
/// the mean gradient measurable with thousands rather than millions of estimates). μ and x come from counter-based
/// streams, so their first coordinates do not depend on d either. To get R independent gradient estimates in one vectorized pass the
/// problem is replicated R times in a plate "copies" with one (identical) parameter set per copy, and the objective
/// importance-samples per copy (a local plate), so ∂loss/∂b_r is copy r's gradient estimate.
/// </summary>
public sealed class GaussianSnrProblem
{
    /// <summary>The plate of replicated copies.</summary>
    public const string CopiesPlate = "copies";

    private readonly double[] _mu, _x, _a, _b;

    /// <summary>
    /// A problem of dimension <paramref name="dimension"/>, data drawn from <paramref name="seed"/>, parameters offset
    /// by <paramref name="offset"/> from the optimum.
    /// </summary>
    public GaussianSnrProblem(int dimension, ulong seed, double offset)
    {
        if (dimension < 1) throw new ArgumentOutOfRangeException(nameof(dimension), $"GaussianSnrProblem: dimension must be at least 1, got {dimension}.");
        Dimension = dimension;
        var stream = new RandomStream(seed);
        _mu = new double[dimension];
        Vinfer.Random.Sample.Normal(stream.NextKey(), _mu);
        var noise = new double[dimension];
        Vinfer.Random.Sample.Normal(stream.NextKey(), noise);
        var z = new double[dimension];
        Vinfer.Random.Sample.Normal(stream.NextKey(), z);
        _x = new double[dimension];
        for (int j = 0; j < dimension; j++) _x[j] = _mu[j] + z[j] + noise[j];
        _a = new double[dimension];
        _b = new double[dimension];
        for (int j = 0; j < dimension; j++)
        {
            _a[j] = 0.5 + offset;
            _b[j] = _mu[j] / 2 + offset;
        }
    }

    /// <summary>The dimension d.</summary>
    public int Dimension { get; }

    /// <summary>
    /// R gradient estimates (of the bound, not the loss) with respect to a_1 and b_1, the first coordinates of the
    /// inference network's parameters, computed <paramref name="chunk"/> copies per vectorized pass.
    /// </summary>
    public (double[] A, double[] B) Gradients(Func<ImportanceWeightedObjective> objective, int copies, int chunk, RandomStream random)
    {
        var ga = new double[copies];
        var gb = new double[copies];
        for (int start = 0; start < copies; start += chunk)
        {
            int r = Math.Min(chunk, copies - start);
            var store = new ParamStore();
            using var _ = store.Use();
            using var scope = new TensorScope();
            var value = objective().Evaluate(Model(r), Guide(r), 1, random.Split());
            value.Loss.Backward();
            var gradA = store.GetUnconstrained("a").Grad!.Span;
            var gradB = store.GetUnconstrained("b").Grad!.Span;
            for (int i = 0; i < r; i++)
            {
                // the loss is −Σ_r bound_r: the bound's gradient is minus the loss's
                ga[start + i] = -gradA[i * Dimension];
                gb[start + i] = -gradB[i * Dimension];
            }
        }
        return (ga, gb);
    }

    private Action Model(int copies)
    {
        var mu = Tensor.FromArray(_mu, Dimension);
        var x = Tensor.FromArray(Replicate(_x, copies), copies, Dimension);
        return () =>
        {
            using (Plate(CopiesPlate, copies))
            {
                var z = Sample("z", new Normal(mu, Tensor.Ones(Dimension)).ToEvent(1));
                Sample("x", new Normal(z, Tensor.Scalar(1.0)).ToEvent(1), x);
            }
        };
    }

    private Action Guide(int copies)
    {
        var x = Tensor.FromArray(Replicate(_x, copies), copies, Dimension);
        var aInit = Tensor.FromArray(Replicate(_a, copies), copies, Dimension);
        var bInit = Tensor.FromArray(Replicate(_b, copies), copies, Dimension);
        var scale = Tensor.Scalar(Math.Sqrt(2.0 / 3.0));
        return () =>
        {
            var a = Param("a", aInit);
            var b = Param("b", bInit);
            using (Plate(CopiesPlate, copies)) Sample("z", new Normal(a * x + b, scale).ToEvent(1));
        };
    }

    private static double[] Replicate(double[] row, int copies)
    {
        var result = new double[row.Length * copies];
        for (int i = 0; i < copies; i++) Array.Copy(row, 0, result, i * row.Length, row.Length);
        return result;
    }
}
