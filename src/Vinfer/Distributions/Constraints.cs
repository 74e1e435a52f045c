namespace Vinfer.Distributions;

/// <summary>The catalogue of constraints, after <c>torch.distributions.constraints</c>.</summary>
public static class Constraints
{
    /// <summary>Finite reals.</summary>
    public static Constraint Real { get; } = new RealConstraint();

    /// <summary>x &gt; 0.</summary>
    public static Constraint Positive { get; } = new GreaterThanConstraint(0);

    /// <summary>x ≥ 0.</summary>
    public static Constraint NonNegative { get; } = new NonNegativeConstraint();

    /// <summary>[0, 1].</summary>
    public static Constraint UnitInterval { get; } = new IntervalConstraint(0, 1);

    /// <summary>The probability simplex over the last dimension.</summary>
    public static Constraint Simplex { get; } = new SimplexConstraint();

    /// <summary>Lower-triangular matrices with a positive diagonal.</summary>
    public static Constraint LowerCholesky { get; } = new LowerCholeskyConstraint();

    /// <summary>Cholesky factors of correlation matrices.</summary>
    public static Constraint CorrCholesky { get; } = new CorrCholeskyConstraint();

    /// <summary>Symmetric positive-definite matrices.</summary>
    public static Constraint PositiveDefinite { get; } = new PositiveDefiniteConstraint();

    /// <summary>Strictly increasing vectors.</summary>
    public static Constraint Ordered { get; } = new OrderedConstraint();

    /// <summary>Strictly increasing positive vectors (Stan's <c>positive_ordered</c>).</summary>
    public static Constraint PositiveOrdered { get; } = new PositiveOrderedConstraint();

    /// <summary>0, 1, 2, ….</summary>
    public static Constraint NonNegativeInteger { get; } = new NonNegativeIntegerConstraint();

    /// <summary>0 or 1.</summary>
    public static Constraint Boolean { get; } = new IntegerIntervalConstraint(0, 1);

    /// <summary>[lowerBound, upperBound].</summary>
    public static Constraint Interval(double lowerBound, double upperBound) => new IntervalConstraint(lowerBound, upperBound);

    /// <summary>x &gt; lowerBound.</summary>
    public static Constraint GreaterThan(double lowerBound) => new GreaterThanConstraint(lowerBound);

    /// <summary>x &lt; upperBound.</summary>
    public static Constraint LessThan(double upperBound) => new LessThanConstraint(upperBound);

    /// <summary>The integers lowerBound, …, upperBound.</summary>
    public static Constraint IntegerInterval(double lowerBound, double upperBound) => new IntegerIntervalConstraint(lowerBound, upperBound);

    /// <summary>A constraint with extra event dimensions.</summary>
    public static Constraint Independent(Constraint baseConstraint, int reinterpretedDims) =>
        reinterpretedDims == 0 ? baseConstraint : new IndependentConstraint(baseConstraint, reinterpretedDims);
}
