using System.Text.Json.Nodes;
using Vinfer.Tensors;

namespace Vinfer.Guides;

/// <summary>
/// A fixed affine whitening of the unconstrained space, u = m + L w, under which a Gaussian guide is fitted in w
/// (a change of variables that leaves the family unchanged but makes its optimization well conditioned: with m and
/// L Lᵀ a good estimate of the posterior mean and covariance, the posterior of w is close to N(0, I), so Adam's
/// per-coordinate steps are in units of posterior standard deviations). The estimate comes from Pathfinder
/// (Zhang, Carpenter, Gelman &amp; Vehtari, JMLR 2022), as in Stan's use of Pathfinder draws to initialize its samplers.
/// <see cref="Factor"/> is lower triangular (row-major D×D); mean-field and low-rank guides use only its row norms,
/// the marginal standard deviations (<see cref="Scales"/>), which keep their covariance structure.
/// </summary>
public sealed class GaussianPreconditioner
{
    /// <summary>The whitening u = <paramref name="shift"/> + <paramref name="factor"/>·w (factor lower triangular, D×D row-major, positive diagonal).</summary>
    public GaussianPreconditioner(double[] shift, double[] factor)
    {
        ArgumentNullException.ThrowIfNull(shift);
        ArgumentNullException.ThrowIfNull(factor);
        int d = shift.Length;
        if (d == 0) throw new ArgumentException("GaussianPreconditioner: the shift is empty.", nameof(shift));
        if (factor.Length != d * d) throw new ArgumentException($"GaussianPreconditioner: the factor has {factor.Length} entries, expected D² = {d * d}.", nameof(factor));
        for (int i = 0; i < d; i++)
        {
            if (!double.IsFinite(shift[i])) throw new ArgumentException($"GaussianPreconditioner: shift[{i}] is {shift[i]}, expected a finite number.", nameof(shift));
            if (!(factor[i * d + i] > 0) || !double.IsFinite(factor[i * d + i]))
                throw new ArgumentException($"GaussianPreconditioner: factor[{i},{i}] is {factor[i * d + i]}, expected a positive finite number.", nameof(factor));
            for (int j = 0; j < d; j++)
            {
                if (!double.IsFinite(factor[i * d + j])) throw new ArgumentException($"GaussianPreconditioner: factor[{i},{j}] is {factor[i * d + j]}, expected a finite number.", nameof(factor));
                if (j > i && factor[i * d + j] != 0) throw new ArgumentException($"GaussianPreconditioner: factor[{i},{j}] is {factor[i * d + j]} above the diagonal; the factor must be lower triangular.", nameof(factor));
            }
        }
        Shift = (double[])shift.Clone();
        Factor = (double[])factor.Clone();
        Scales = new double[d];
        for (int i = 0; i < d; i++)
        {
            double s = 0;
            for (int j = 0; j <= i; j++) s += factor[i * d + j] * factor[i * d + j];
            Scales[i] = Math.Sqrt(s);
        }
    }

    /// <summary>The dimension D.</summary>
    public int Dimension => Shift.Length;

    /// <summary>m: where w = 0 lands.</summary>
    public double[] Shift { get; }

    /// <summary>L, lower triangular, row-major D×D.</summary>
    public double[] Factor { get; }

    /// <summary>The marginal standard deviations of L Lᵀ (row norms of L).</summary>
    public double[] Scales { get; }

    /// <summary>m as a constant tensor [D].</summary>
    public Tensor ShiftTensor() => Tensor.FromArray(Shift, Dimension);

    /// <summary>L as a constant tensor [D, D].</summary>
    public Tensor FactorTensor() => Tensor.FromArray(Factor, Dimension, Dimension);

    /// <summary>The marginal standard deviations as a constant tensor [D].</summary>
    public Tensor ScalesTensor() => Tensor.FromArray(Scales, Dimension);

    /// <summary>The preconditioner as JSON (saved with a guide's settings).</summary>
    public JsonObject ToJson() => new()
    {
        ["shift"] = new JsonArray(Shift.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray()),
        ["factor"] = new JsonArray(Factor.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray()),
    };

    /// <summary>Reads <see cref="ToJson"/>'s output; null when <paramref name="node"/> is null.</summary>
    public static GaussianPreconditioner? FromJson(JsonNode? node)
    {
        if (node is null) return null;
        var shift = node["shift"]?.AsArray().Select(v => (double)v!).ToArray() ?? throw new FormatException("Guide file: preconditioner without \"shift\".");
        var factor = node["factor"]?.AsArray().Select(v => (double)v!).ToArray() ?? throw new FormatException("Guide file: preconditioner without \"factor\".");
        return new GaussianPreconditioner(shift, factor);
    }

    /// <summary>Checks that the preconditioner fits a guide of <paramref name="dimension"/> unconstrained coordinates.</summary>
    internal void CheckDimension(int dimension, string guide)
    {
        if (dimension != Dimension)
            throw new ArgumentException($"{guide}: the preconditioner has dimension {Dimension}, but the model has {dimension} unconstrained coordinates.");
    }
}
