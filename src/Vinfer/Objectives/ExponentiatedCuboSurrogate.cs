using Vinfer.Tensors;

namespace Vinfer.Objectives;

/// <summary>
/// The gradient surrogate of CUBO_n = (1/n) log E_q[w^n] that Dieng, Tran, Ranganath, Paisley and Blei ("Variational
/// inference via χ upper bound minimization", NeurIPS 2017, section 3.1) minimize instead of the bound:
/// L = exp(n·(CUBO_n − c)) = e^{−nc} E_q[w^n], whose reparameterized Monte Carlo estimate
/// (1/n)·(1/K) Σ_k exp(n(log w_k − c)) is unbiased, and whose gradient is n·exp(n(CUBO_n − c))·∇CUBO_n: it points
/// along ∇CUBO_n, scaled by a positive factor. The log-mean-exp of the K-sample estimate, by contrast, has the
/// gradient Σ_k w̄_k ∇log w_k with self-normalized weights w̄_k ∝ w_k^n: the same direction within one batch, but each
/// batch divided by its own (random) estimate of E_q[w^n], which biases the expected gradient (it down-weights the
/// batches that hold large weights, exactly those that carry the χ² divergence).
/// <para>
/// The shift c keeps exp from overflowing and must not depend on the current draws for the estimate to stay unbiased:
/// it is the CUBO estimate of the previous evaluation (the state saved in checkpoints; the first evaluation, which has
/// none, takes the log-mean-exp gradient). With c ≈ CUBO_n the scale factor is ≈ n, so after the
/// 1/n the gradient is ≈ ∇CUBO_n. Guard: c is clamped to within 300/n of the batch's largest log-weight, so that
/// exp(n(log w − c)) neither overflows nor underflows to zero for every draw; a clamped step keeps the direction and
/// changes only its positive scale (reported as <see cref="ClampedSteps"/>).
/// </para>
/// </summary>
internal sealed class ExponentiatedCuboSurrogate
{
    private const double MaxExponent = 300;

    /// <summary>The order n (2 for CUBO₂).</summary>
    public ExponentiatedCuboSurrogate(double order)
    {
        if (!(order > 0) || double.IsInfinity(order))
            throw new ArgumentOutOfRangeException(nameof(order), $"ExponentiatedCuboSurrogate: the order n must be positive and finite, got {order}.");
        Order = order;
    }

    /// <summary>The order n of CUBO_n.</summary>
    public double Order { get; }

    /// <summary>The shift c the next evaluation uses (the last evaluation's estimate), or null before the first.</summary>
    public double? Shift { get; set; }

    /// <summary>Evaluations whose shift had to be clamped (see the guard above).</summary>
    public int ClampedSteps { get; private set; }

    /// <summary>
    /// The surrogate (1/n)·mean over all entries of exp(n(log w − c)) for log-weights of any shape, as a differentiable
    /// scalar, or null on the first evaluation (no past estimate to shift by: the caller uses the log-mean-exp there);
    /// then records <paramref name="estimate"/> (this batch's CUBO estimate) as the next shift.
    /// </summary>
    public Tensor? Evaluate(Tensor logWeights, double estimate)
    {
        double? past = Shift;
        if (double.IsFinite(estimate)) Shift = estimate;
        if (past is not double shift) return null;
        double largest = double.NegativeInfinity;
        foreach (double v in logWeights.Span) largest = Math.Max(largest, v);
        if (double.IsFinite(largest))
        {
            double clamped = Math.Clamp(shift, largest - MaxExponent / Order, largest + MaxExponent / Order);
            if (clamped != shift) ClampedSteps++;
            shift = clamped;
        }
        return ((logWeights - shift) * Order).Exp().Mean() * (1 / Order);
    }
}
