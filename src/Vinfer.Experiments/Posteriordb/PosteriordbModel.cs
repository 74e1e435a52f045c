using System.Diagnostics.CodeAnalysis;
using Vinfer.Data;
using Vinfer.Distributions;
using Vinfer.Modeling;
using Vinfer.Tensors;

using Vinfer.Models;

namespace Vinfer.Experiments.Posteriordb;

/// <summary>
/// A posterior of the posteriordb reference suite (Magnusson, Bürkner &amp; Vehtari, "posteriordb", 2023) as a
/// built-in model named after its folder. Written as a Stan program is: every parameter is a latent site with a flat
/// density on its constrained support (<see cref="ImproperUniform"/>), and the model's log density, as the folder's
/// model.md gives it (constants dropped), is added once with <see cref="Primitives.Factor"/> (Stan's <c>target +=</c>).
/// Automatic guides then map each support to ℝⁿ with Stan's transforms and Jacobians.
/// Batch-aware: a scalar parameter has shape [] or [S] (S particles), a vector [K] or [S, K]; every term the
/// model adds has the particle shape.
/// </summary>
public abstract class PosteriordbModel : BuiltInModel
{
    /// <summary>The data.json of the posterior's folder, when the posteriordb folder can be found (see <see cref="PosteriordbFiles"/>).</summary>
    public override StanData? BundledData => PosteriordbFiles.TryLoadData(Name);

    /// <summary>The suite's posteriors, by folder name.</summary>
    public static ModelRegistry Registry { [RequiresUnreferencedCode(ModelRegistry.TrimReason)] get => LazyInitializer.EnsureInitialized(ref _registry, () => new(typeof(PosteriordbModel).Assembly)); }

    private static ModelRegistry? _registry;

    /// <summary>The name of the site that carries the log density.</summary>
    public const string TargetSite = "target";

    /// <summary>A parameter: a latent site with a flat density on <paramref name="support"/> and the given shape.</summary>
    protected static Tensor Parameter(string name, Constraint support, params int[] shape)
    {
        var c = shape.Length > support.EventDim ? Constraints.Independent(support, shape.Length - support.EventDim) : support;
        return Primitives.Sample(name, new ImproperUniform(c, [], shape));
    }

    /// <summary>Adds the log density (shape [] or [S]).</summary>
    protected static void Target(Tensor logDensity) => Primitives.Factor(TargetSite, logDensity);

    /// <summary>A scalar parameter ([] or [S]) as a column ([1] or [S, 1]) that broadcasts against data vectors.</summary>
    protected static Tensor Col(Tensor scalar) => scalar.Unsqueeze(-1);

    /// <summary>Entry <paramref name="i"/> (0-based) of a vector parameter ([K] or [S, K]) as a scalar ([] or [S]).</summary>
    protected static Tensor Entry(Tensor vector, int i) => vector.Narrow(-1, i, 1).Squeeze(-1);

    /// <summary>Σₙ [−log σ − rₙ² / (2σ²)] over the last axis of the residuals r, for a scalar σ ([] or [S]).</summary>
    protected static Tensor GaussianLogLikelihood(Tensor residuals, Tensor sigma) =>
        -(residuals.Dim(-1) * sigma.Log()) - residuals.Square().Sum(-1) / (2.0 * sigma.Square());

    /// <summary>log HalfCauchy(x | 0, s) up to a constant: −log(1 + (x/s)²).</summary>
    protected static Tensor LogHalfCauchy(Tensor x, double scale) => -(x / scale).Square().Log1p();

    /// <summary>log Normal(x | μ, s) up to a constant: −(x − μ)² / (2s²).</summary>
    protected static Tensor LogNormalKernel(Tensor x, double mean, double scale) => -(x - mean).Square() / (2 * scale * scale);

    /// <summary>The data matrix transposed (K×N) as a tensor, built from columns.</summary>
    protected static Tensor ColumnsTransposed(params double[][] columns)
    {
        int k = columns.Length, n = columns[0].Length;
        var a = new double[k * n];
        for (int j = 0; j < k; j++)
        {
            if (columns[j].Length != n) throw new ArgumentException("ColumnsTransposed: columns differ in length.");
            columns[j].CopyTo(a, j * n);
        }
        return Tensor.FromArray(a, k, n);
    }

    /// <summary>The values of a data vector.</summary>
    protected static double[] Vector(StanData data, string name, int length) => data.GetVector(name, length).Span.ToArray();

    /// <summary>A vector of positive entries, naming the field and index of the first that is not.</summary>
    protected static double[] PositiveVector(StanData data, string name, int length)
    {
        var v = Vector(data, name, length);
        for (int i = 0; i < v.Length; i++)
            if (!(v[i] > 0)) throw new DataFormatException($"{data.Source}: field '{name}' must be positive, but {name}[{i + 1}] = {DataFormatException.FormatNumber(v[i])}.");
        return v;
    }
}
