namespace Vinfer.StateSpace;

/// <summary>
/// Expected sufficient statistics of the AR(1)-plus-noise model under a distribution q over X_{1:T}
/// (X_0 known): everything E_q[log p_θ(X, Y)] and the M-step depend on.
/// </summary>
/// <param name="Count">T.</param>
/// <param name="SumYY">Σ_{t=1}^T Y_t².</param>
/// <param name="SumYX">Σ_{t=1}^T Y_t E_q[X_t].</param>
/// <param name="SumXX">Σ_{t=1}^T E_q[X_t²].</param>
/// <param name="SumXXPrev">Σ_{t=1}^T E_q[X_{t-1}²] (includes X_0²).</param>
/// <param name="SumXXLag">Σ_{t=1}^T E_q[X_t X_{t-1}].</param>
public readonly record struct Ar1SufficientStatistics(
    int Count, double SumYY, double SumYX, double SumXX, double SumXXPrev, double SumXXLag);
