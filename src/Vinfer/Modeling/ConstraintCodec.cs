using System.Globalization;
using Vinfer.Distributions;

namespace Vinfer.Modeling;

/// <summary>
/// Stable text names for constraints, used in saved parameter stores and guide files: <c>real</c>, <c>positive</c>, <c>non_negative</c>,
/// <c>greater_than:a</c>, <c>less_than:b</c>, <c>interval:a:b</c>, <c>unit_interval</c>, <c>simplex</c>,
/// <c>lower_cholesky</c>, <c>corr_cholesky</c>, <c>positive_definite</c>, <c>ordered</c>, and
/// <c>independent:n:BASE</c> for a base constraint with n extra event dimensions.
/// </summary>
public static class ConstraintCodec
{
    /// <summary>The text name of a constraint; throws for constraints that have none (discrete ones).</summary>
    public static string Encode(Constraint c) => c switch
    {
        RealConstraint => "real",
        GreaterThanConstraint g => g.LowerBound == 0 ? "positive" : "greater_than:" + Number(g.LowerBound),
        NonNegativeConstraint => "non_negative",
        LessThanConstraint l => "less_than:" + Number(l.UpperBound),
        IntervalConstraint i => i.LowerBound == 0 && i.UpperBound == 1 ? "unit_interval" : $"interval:{Number(i.LowerBound)}:{Number(i.UpperBound)}",
        SimplexConstraint => "simplex",
        LowerCholeskyConstraint => "lower_cholesky",
        CorrCholeskyConstraint => "corr_cholesky",
        PositiveDefiniteConstraint => "positive_definite",
        OrderedConstraint => "ordered",
        PositiveOrderedConstraint => "positive_ordered",
        IndependentConstraint ind => $"independent:{ind.ReinterpretedDims}:{Encode(ind.BaseConstraint)}",
        _ => throw new NotSupportedException($"ConstraintCodec: the constraint '{c.Name}' ({c.GetType().Name}) has no saved form."),
    };

    /// <summary>The constraint named by <see cref="Encode"/>'s output.</summary>
    public static Constraint Decode(string text)
    {
        var parts = text.Split(':', 3);
        return parts[0] switch
        {
            "real" => Constraints.Real,
            "positive" => Constraints.Positive,
            "non_negative" => Constraints.NonNegative,
            "greater_than" when parts.Length == 2 => Constraints.GreaterThan(Parse(parts[1], text)),
            "less_than" when parts.Length == 2 => Constraints.LessThan(Parse(parts[1], text)),
            "unit_interval" => Constraints.UnitInterval,
            "interval" when parts.Length == 3 => Constraints.Interval(Parse(parts[1], text), Parse(parts[2], text)),
            "simplex" => Constraints.Simplex,
            "lower_cholesky" => Constraints.LowerCholesky,
            "corr_cholesky" => Constraints.CorrCholesky,
            "positive_definite" => Constraints.PositiveDefinite,
            "ordered" => Constraints.Ordered,
            "positive_ordered" => Constraints.PositiveOrdered,
            "independent" when parts.Length == 3 => Constraints.Independent(Decode(parts[2]), (int)Parse(parts[1], text)),
            _ => throw new FormatException($"ConstraintCodec: unknown constraint '{text}'."),
        };
    }

    /// <summary>The constraint with every <see cref="IndependentConstraint"/> wrapper removed (what bijectors act on elementwise).</summary>
    public static Constraint Elementwise(Constraint c)
    {
        while (c is IndependentConstraint ind) c = ind.BaseConstraint;
        return c;
    }

    /// <summary>The bijector from ℝⁿ onto the constraint, or null when it is the real line (identity).</summary>
    public static Bijector? UnconstrainingBijector(Constraint c)
    {
        var e = Elementwise(c);
        return e is RealConstraint ? null : Bijectors.ToUnconstrained(e);
    }

    private static string Number(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static double Parse(string s, string whole) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v
        : throw new FormatException($"ConstraintCodec: bad number '{s}' in constraint '{whole}'.");
}
