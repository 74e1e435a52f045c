using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace Vinfer.StateSpace;

/// <summary>
/// Allocation-free scalar Kalman filter and RTS smoother kernels for the AR(1)-plus-noise model
/// (<see cref="Ar1NoiseModel"/>), the fast path behind EM and the study. Results agree with
/// <see cref="KalmanFilter"/>/<see cref="RtsSmoother"/> on the 1-dimensional model to rounding.
/// </summary>
/// <remarks>
/// Kalman (1960); Rauch, Tung &amp; Striebel (1965); Särkkä (2013), Thms 4.2 and 8.2. In the scalar case the
/// filtered variance P = P⁻ σ_v² / S is a product of positive numbers (the scalar Joseph form), so it cannot turn
/// negative under rounding. The variance recursion P_t = f(P_{t−1}) does not depend on the data; once an iterate
/// repeats bit for bit (P_t == P_{t−1}) every later P, S and gain is the same number, so the remaining steps reuse
/// them (the steady-state filter of Anderson &amp; Moore, <i>Optimal Filtering</i>, §4.4, here without any
/// approximation) and the hot loop carries no division. log det of the innovation variances is accumulated as a
/// product renormalized by its binary exponent every 8 steps (no overflow, no logarithm per step).
/// </remarks>
public static class ScalarKalmanSmoother
{
    private static readonly double Log2Pi = Math.Log(2.0 * Math.PI);

    /// <summary>
    /// The exact log-likelihood log p_θ(Y_{1:T}) with X_0 = <paramref name="x0"/> known (one forward pass, O(T), no storage).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double LogLikelihood(ReadOnlySpan<double> y, in Ar1NoiseModel theta, double x0) =>
        Forward(y, theta, x0, Span<double>.Empty, Span<double>.Empty, store: false, out _, out _);

    /// <summary>
    /// One filter and smoother pass that returns only what EM needs: the expected sufficient statistics under the exact
    /// posterior p_θ(X_{1:T} | Y_{1:T}) and the log-likelihood. <paramref name="meanWork"/> and <paramref name="varianceWork"/>
    /// (length ≥ T) hold the filtered moments between the passes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double SmoothStatistics(
        ReadOnlySpan<double> y, in Ar1NoiseModel theta, double x0,
        Span<double> meanWork, Span<double> varianceWork, out Ar1SufficientStatistics statistics)
    {
        int length = y.Length;
        if (length == 0) throw new ArgumentException("ScalarKalmanSmoother: the series is empty.", nameof(y));
        if (meanWork.Length < length || varianceWork.Length < length)
            throw new ArgumentException($"ScalarKalmanSmoother: work buffers need length ≥ T = {length}.");
        double psi = theta.Psi, q = theta.SigmaH2;
        Span<double> mf = meanWork[..length], pf = varianceWork[..length];
        double logLikelihood = Forward(y, theta, x0, mf, pf, store: true, out int steady, out double steadyVariance);

        // Backward pass fused with the statistics; (ms, ps) are the smoothed moments of X_{t+2} (index t+1).
        double ms = mf[length - 1], ps = steady <= length - 1 ? steadyVariance : pf[length - 1];
        double lastSquare = ms * ms + ps;
        double sumYX = y[length - 1] * ms, sumXX = lastSquare, sumXXLag = 0.0;
        int t = length - 2;
        if (steady <= t)
        {
            // Filtered variance is constant for indices ≥ steady: so are the predicted variance and the smoother gain.
            double predVar = psi * psi * steadyVariance + q;
            double gain = steadyVariance * psi / predVar;
            double keep = 1.0 - gain * psi;
            for (; t >= steady; t--)
            {
                double msPrev = keep * mf[t] + gain * ms;
                double psPrev = steadyVariance + gain * gain * (ps - predVar);
                sumXXLag += ms * msPrev + gain * ps;
                sumYX += y[t] * msPrev;
                sumXX += msPrev * msPrev + psPrev;
                ms = msPrev;
                ps = psPrev;
            }
        }
        for (; t >= -1; t--)
        {
            double m = t >= 0 ? mf[t] : x0, p = t >= 0 ? pf[t] : 0.0;
            double predVar = psi * psi * p + q;
            double gain = p * psi / predVar;
            double msPrev = (1.0 - gain * psi) * m + gain * ms;
            double psPrev = p + gain * gain * (ps - predVar);
            sumXXLag += ms * msPrev + gain * ps;
            if (t >= 0)
            {
                sumYX += y[t] * msPrev;
                sumXX += msPrev * msPrev + psPrev;
            }
            ms = msPrev;
            ps = psPrev;
        }
        double sumYY = TensorPrimitives.SumOfSquares(y);
        statistics = new Ar1SufficientStatistics(length, sumYY, sumYX, sumXX, sumXX - lastSquare + x0 * x0, sumXXLag);
        return logLikelihood;
    }

    /// <summary>
    /// Full smoother output for t = 0..T (index 0 is the known X_0: mean x0, variance 0): smoothed means and variances
    /// and the lag-one covariances Cov[X_t, X_{t-1} | Y] (index 0 is 0). Returns the log-likelihood. Spans have length T + 1.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Smooth(
        ReadOnlySpan<double> y, in Ar1NoiseModel theta, double x0,
        Span<double> means, Span<double> variances, Span<double> lagOneCovariances)
    {
        int length = y.Length;
        if (length == 0) throw new ArgumentException("ScalarKalmanSmoother: the series is empty.", nameof(y));
        if (means.Length != length + 1 || variances.Length != length + 1 || lagOneCovariances.Length != length + 1)
            throw new ArgumentException($"ScalarKalmanSmoother.Smooth: output spans need length T + 1 = {length + 1}.");
        double psi = theta.Psi, q = theta.SigmaH2;
        means[0] = x0;
        variances[0] = 0.0;
        double logLikelihood = Forward(y, theta, x0, means[1..], variances[1..], store: true, out int steady, out double steadyVariance);
        variances[(steady + 1)..].Fill(steadyVariance);
        lagOneCovariances[0] = 0.0;
        for (int t = length - 1; t >= 0; t--)
        {
            double m = means[t], p = variances[t];
            double predVar = psi * psi * p + q;
            double gain = p * psi / predVar;
            double ms = means[t + 1], ps = variances[t + 1];
            means[t] = (1.0 - gain * psi) * m + gain * ms;
            variances[t] = p + gain * gain * (ps - predVar);
            lagOneCovariances[t + 1] = gain * ps;
        }
        return logLikelihood;
    }

    // Filters Y; with store, writes the filtered means for t = 1..T at indices 0..T−1 and the filtered variances at
    // indices 0..steady−1 (from index steady on, the variance is steadyVariance). Returns log p(Y).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double Forward(ReadOnlySpan<double> y, in Ar1NoiseModel theta, double x0,
        Span<double> mean, Span<double> variance, bool store, out int steady, out double steadyVariance)
    {
        double psi = theta.Psi, zeta = theta.Zeta, q = theta.SigmaH2, r = theta.SigmaV2;
        int length = y.Length;
        if (store && (mean.Length < length || variance.Length < length))
            throw new ArgumentException($"ScalarKalmanSmoother: buffers need length ≥ T = {length}.");
        double m = x0, p = 0.0, quad = 0.0, product = 1.0;
        long exponent = 0;
        double s = 0.0, inv = 0.0, gain = 0.0;
        int t = 0;
        steady = length;
        for (; t < length; t++)
        {
            double predVar = psi * psi * p + q;
            s = zeta * zeta * predVar + r;
            inv = 1.0 / s;
            gain = predVar * zeta * inv;
            double predMean = psi * m;
            double e = y[t] - zeta * predMean;
            quad += e * e * inv;
            m = predMean + gain * e;
            double next = predVar * r * inv;
            if (store)
            {
                mean[t] = m;
                variance[t] = next;
            }
            product *= s;
            if ((t & 7) == 7) Renormalize(ref product, ref exponent);
            bool repeated = next == p;
            p = next;
            if (repeated)
            {
                t++;
                steady = t;
                break;
            }
        }
        steadyVariance = p;
        double logDetSteady = 0.0;
        if (t < length)
        {
            logDetSteady = (length - t) * Math.Log(s);
            if (store)
            {
                // m_t = ψ(1 − Kζ) m_{t−1} + K y_t keeps one multiply-add on the loop-carried chain; the innovation is off it.
                double carry = psi * (1.0 - gain * zeta), zetaPsi = zeta * psi;
                for (; t < length; t++)
                {
                    double e = y[t] - zetaPsi * m;
                    quad += e * e * inv;
                    m = carry * m + gain * y[t];
                    mean[t] = m;
                }
            }
            else
            {
                double carry = psi * (1.0 - gain * zeta), zetaPsi = zeta * psi;
                for (; t < length; t++)
                {
                    double e = y[t] - zetaPsi * m;
                    quad += e * e * inv;
                    m = carry * m + gain * y[t];
                }
            }
        }
        return -0.5 * (length * Log2Pi + Math.Log(product) + exponent * Math.Log(2.0) + logDetSteady + quad);
    }

    private static void Renormalize(ref double product, ref long exponent)
    {
        int e = Math.ILogB(product);
        exponent += e;
        product = Math.ScaleB(product, -e);
    }
}
