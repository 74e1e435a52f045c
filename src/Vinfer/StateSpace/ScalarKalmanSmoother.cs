namespace Vinfer.StateSpace;

/// <summary>
/// Allocation-free scalar Kalman filter and RTS smoother kernels for the AR(1)-plus-noise model
/// (<see cref="Ar1NoiseModel"/>), the fast path behind EM and the study. Results agree with
/// <see cref="KalmanFilter"/>/<see cref="RtsSmoother"/> on the 1-dimensional model to rounding.
/// </summary>
/// <remarks>
/// Kalman (1960); Rauch, Tung &amp; Striebel (1965); Särkkä (2013), Thms 4.2 and 8.2. In the scalar case the
/// filtered variance P = P⁻ σ_v² / S is a product of positive numbers, the scalar Joseph form, so it cannot turn
/// negative under rounding. log det of the innovation variances is accumulated as a product renormalized by its
/// binary exponent every 8 steps (exact up to rounding, no overflow) so the hot loop needs no logarithm.
/// </remarks>
public static class ScalarKalmanSmoother
{
    private static readonly double Log2Pi = Math.Log(2.0 * Math.PI);

    /// <summary>
    /// The exact log-likelihood log p_θ(Y_{1:T}) with X_0 = <paramref name="x0"/> known (one forward pass, O(T), no storage).
    /// </summary>
    public static double LogLikelihood(ReadOnlySpan<double> y, in Ar1NoiseModel theta, double x0)
    {
        double psi = theta.Psi, zeta = theta.Zeta, q = theta.SigmaH2, r = theta.SigmaV2;
        double m = x0, p = 0.0, quad = 0.0, product = 1.0;
        long exponent = 0;
        for (int t = 0; t < y.Length; t++)
        {
            double predMean = psi * m;
            double predVar = psi * psi * p + q;
            double s = zeta * zeta * predVar + r;
            double inv = 1.0 / s;
            double e = y[t] - zeta * predMean;
            quad += e * e * inv;
            m = predMean + predVar * zeta * inv * e;
            p = predVar * r * inv;
            product *= s;
            if ((t & 7) == 7) Renormalize(ref product, ref exponent);
        }
        return -0.5 * (y.Length * Log2Pi + LogOfProduct(product, exponent) + quad);
    }

    /// <summary>
    /// One filter and smoother pass that returns only what EM needs: the expected sufficient statistics under the exact
    /// posterior p_θ(X_{1:T} | Y_{1:T}) and the log-likelihood. <paramref name="meanWork"/> and <paramref name="varianceWork"/>
    /// (length ≥ T) hold the filtered moments between the passes.
    /// </summary>
    public static double SmoothStatistics(
        ReadOnlySpan<double> y, in Ar1NoiseModel theta, double x0,
        Span<double> meanWork, Span<double> varianceWork, out Ar1SufficientStatistics statistics)
    {
        int length = y.Length;
        if (length == 0) throw new ArgumentException("ScalarKalmanSmoother: the series is empty.", nameof(y));
        if (meanWork.Length < length || varianceWork.Length < length)
            throw new ArgumentException($"ScalarKalmanSmoother: work buffers need length ≥ T = {length}.");
        double psi = theta.Psi, zeta = theta.Zeta, q = theta.SigmaH2, r = theta.SigmaV2;
        Span<double> mf = meanWork[..length], pf = varianceWork[..length];
        double logLikelihood = Forward(y, psi, zeta, q, r, x0, mf, pf);

        // Backward pass fused with the statistics; (ms, ps) are the smoothed moments of X_{t+1}.
        double ms = mf[length - 1], ps = pf[length - 1];
        double sumYX = y[length - 1] * ms, sumXX = ms * ms + ps, sumXXLag = 0.0, sumYY = 0.0;
        double lastSquare = ms * ms + ps;
        for (int t = length - 2; t >= -1; t--)
        {
            double m = t >= 0 ? mf[t] : x0, p = t >= 0 ? pf[t] : 0.0;
            double predVar = psi * psi * p + q;
            double gain = p * psi / predVar;
            double msPrev = m + gain * (ms - psi * m);
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
        for (int t = 0; t < length; t++) sumYY += y[t] * y[t];
        statistics = new Ar1SufficientStatistics(length, sumYY, sumYX, sumXX, sumXX - lastSquare + x0 * x0, sumXXLag);
        return logLikelihood;
    }

    /// <summary>
    /// Full smoother output for t = 0..T (index 0 is the known X_0: mean x0, variance 0): smoothed means and variances
    /// and the lag-one covariances Cov[X_t, X_{t-1} | Y] (index 0 is 0). Returns the log-likelihood. Spans have length T + 1.
    /// </summary>
    public static double Smooth(
        ReadOnlySpan<double> y, in Ar1NoiseModel theta, double x0,
        Span<double> means, Span<double> variances, Span<double> lagOneCovariances)
    {
        int length = y.Length;
        if (length == 0) throw new ArgumentException("ScalarKalmanSmoother: the series is empty.", nameof(y));
        if (means.Length != length + 1 || variances.Length != length + 1 || lagOneCovariances.Length != length + 1)
            throw new ArgumentException($"ScalarKalmanSmoother.Smooth: output spans need length T + 1 = {length + 1}.");
        double psi = theta.Psi, zeta = theta.Zeta, q = theta.SigmaH2, r = theta.SigmaV2;
        means[0] = x0;
        variances[0] = 0.0;
        double logLikelihood = Forward(y, psi, zeta, q, r, x0, means[1..], variances[1..]);
        lagOneCovariances[0] = 0.0;
        for (int t = length - 1; t >= 0; t--)
        {
            double m = means[t], p = variances[t];
            double predVar = psi * psi * p + q;
            double gain = p * psi / predVar;
            double ms = means[t + 1], ps = variances[t + 1];
            means[t] = m + gain * (ms - psi * m);
            variances[t] = p + gain * gain * (ps - predVar);
            lagOneCovariances[t + 1] = gain * ps;
        }
        return logLikelihood;
    }

    // Filter into (mean, variance) for t = 1..T at indices 0..T-1; returns log p(Y).
    private static double Forward(ReadOnlySpan<double> y, double psi, double zeta, double q, double r, double x0,
        Span<double> mean, Span<double> variance)
    {
        double m = x0, p = 0.0, quad = 0.0, product = 1.0;
        long exponent = 0;
        mean = mean[..y.Length];
        variance = variance[..y.Length];
        for (int t = 0; t < y.Length; t++)
        {
            double predMean = psi * m;
            double predVar = psi * psi * p + q;
            double s = zeta * zeta * predVar + r;
            double inv = 1.0 / s;
            double e = y[t] - zeta * predMean;
            quad += e * e * inv;
            m = predMean + predVar * zeta * inv * e;
            p = predVar * r * inv;
            mean[t] = m;
            variance[t] = p;
            product *= s;
            if ((t & 7) == 7) Renormalize(ref product, ref exponent);
        }
        return -0.5 * (y.Length * Log2Pi + LogOfProduct(product, exponent) + quad);
    }

    private static void Renormalize(ref double product, ref long exponent)
    {
        int e = Math.ILogB(product);
        exponent += e;
        product = Math.ScaleB(product, -e);
    }

    private static double LogOfProduct(double product, long exponent) => Math.Log(product) + exponent * Math.Log(2.0);
}
