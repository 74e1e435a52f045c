namespace Vinfer.Distributions;

/// <summary>
/// The map from each constraint to a bijector from unconstrained reals onto it (PyTorch's <c>biject_to</c>; the
/// transforms of the Stan Reference Manual, ch. "Constraint transforms"): what ADVI needs to optimize over ℝⁿ
/// (Kucukelbir et al., "Automatic Differentiation Variational Inference", JMLR 18, 2017).
/// </summary>
public static class Bijectors
{
    private static readonly Dictionary<Type, Func<Constraint, Bijector>> Registry = new()
    {
        [typeof(RealConstraint)] = _ => new IdentityBijector(),
        [typeof(GreaterThanConstraint)] = c => ((GreaterThanConstraint)c).LowerBound == 0 ? new ExpBijector() : new LowerBoundBijector(((GreaterThanConstraint)c).LowerBound),
        [typeof(NonNegativeConstraint)] = _ => new ExpBijector(),
        [typeof(LessThanConstraint)] = c => new UpperBoundBijector(((LessThanConstraint)c).UpperBound),
        [typeof(IntervalConstraint)] = c =>
        {
            var i = (IntervalConstraint)c;
            return i.LowerBound == 0 && i.UpperBound == 1 ? new SigmoidBijector() : new IntervalBijector(i.LowerBound, i.UpperBound);
        },
        [typeof(SimplexConstraint)] = _ => new StickBreakingBijector(),
        [typeof(OrderedConstraint)] = _ => new OrderedBijector(),
        [typeof(LowerCholeskyConstraint)] = _ => new LowerCholeskyBijector(),
        [typeof(CorrCholeskyConstraint)] = _ => new CorrCholeskyBijector(),
        [typeof(TensorIntervalConstraint)] = c =>
        {
            var i = (TensorIntervalConstraint)c;
            return new ComposeBijector(new SigmoidBijector(), new AffineBijector(i.Low, i.High - i.Low));
        },
        [typeof(IndependentConstraint)] = c =>
        {
            var ic = (IndependentConstraint)c;
            return new IndependentBijector(ToUnconstrained(ic.BaseConstraint), ic.ReinterpretedDims);
        },
    };

    /// <summary>
    /// A bijector from unconstrained space onto <paramref name="constraint"/>. Throws for discrete constraints and
    /// for constraints with no registered transform, naming the constraint.
    /// </summary>
    public static Bijector ToUnconstrained(Constraint constraint)
    {
        ArgumentNullException.ThrowIfNull(constraint);
        if (constraint.IsDiscrete)
            throw new NotSupportedException($"Bijectors.ToUnconstrained: the discrete constraint '{constraint.Name}' has no bijection onto real space.");
        if (Registry.TryGetValue(constraint.GetType(), out var make)) return make(constraint);
        throw new NotSupportedException($"Bijectors.ToUnconstrained: no bijector is registered for the constraint '{constraint.Name}' ({constraint.GetType().Name}).");
    }

    /// <summary>Registers (or replaces) the bijector for a constraint type.</summary>
    public static void Register<TConstraint>(Func<TConstraint, Bijector> factory) where TConstraint : Constraint =>
        Registry[typeof(TConstraint)] = c => factory((TConstraint)c);
}
