using Vinfer.Tensors.Kernels;

namespace Vinfer.StateSpace;

/// <summary>
/// The Kalman filter for a <see cref="LinearGaussianStateSpaceModel"/>: predicted and filtered moments and the exact
/// log-likelihood log p(y_{1:T}) by the prediction-error decomposition, in O(T (n³ + p³)).
/// </summary>
/// <remarks>
/// Kalman (1960); Särkkä, <i>Bayesian Filtering and Smoothing</i> (2013), Thm 4.2. For numerical stability the
/// innovation covariance S is handled through its Cholesky factor (no explicit inverse; log det S from the factor)
/// and the covariance update uses the Joseph form P = (I − K H) P⁻ (I − K H)ᵀ + K R Kᵀ (Bucy &amp; Joseph 1968),
/// which stays symmetric positive semi-definite under rounding. One instance owns its scratch buffers, so
/// <see cref="Filter(ReadOnlySpan{double}, KalmanFilterResult)"/> allocates nothing; it is not thread-safe.
/// </remarks>
public sealed class KalmanFilter
{
    private readonly LinearGaussianStateSpaceModel _model;
    private readonly double[] _innovation, _innovationCov, _gainT, _hp, _identityMinusKh, _tmpNn, _tmpNn2, _kr, _work;

    /// <summary>Creates a filter for <paramref name="model"/>.</summary>
    public KalmanFilter(LinearGaussianStateSpaceModel model)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        int n = model.StateDimension, p = model.ObservationDimension;
        _innovation = new double[p];
        _innovationCov = new double[p * p];
        _gainT = new double[p * n];
        _hp = new double[p * n];
        _identityMinusKh = new double[n * n];
        _tmpNn = new double[n * n];
        _tmpNn2 = new double[n * n];
        _kr = new double[n * p];
        _work = new double[Math.Max(n, p)];
    }

    /// <summary>The model being filtered.</summary>
    public LinearGaussianStateSpaceModel Model => _model;

    /// <summary>Runs the filter on T×p row-major observations and returns a new result.</summary>
    public KalmanFilterResult Filter(ReadOnlySpan<double> observations)
    {
        int length = CheckedLength(observations);
        var result = new KalmanFilterResult(length, _model.StateDimension);
        Filter(observations, result);
        return result;
    }

    /// <summary>Runs the filter on T×p row-major observations into an existing result of matching size.</summary>
    public void Filter(ReadOnlySpan<double> observations, KalmanFilterResult result)
    {
        int length = CheckedLength(observations);
        if (result.Length != length || result.StateDimension != _model.StateDimension)
            throw new ArgumentException($"KalmanFilter.Filter: result is sized for T = {result.Length}, n = {result.StateDimension}; expected T = {length}, n = {_model.StateDimension}.", nameof(result));
        int n = _model.StateDimension, p = _model.ObservationDimension, nn = n * n;
        ReadOnlySpan<double> f = _model.Transition, q = _model.TransitionCovariance, h = _model.Observation, r = _model.ObservationCovariance;

        _model.InitialMean.CopyTo(result.PredictedMeans, 0);
        _model.InitialMean.CopyTo(result.FilteredMeans, 0);
        _model.InitialCovariance.CopyTo(result.PredictedCovariances, 0);
        _model.InitialCovariance.CopyTo(result.FilteredCovariances, 0);

        double logLikelihood = 0.0;
        double log2Pi = Math.Log(2.0 * Math.PI);
        for (int t = 1; t <= length; t++)
        {
            ReadOnlySpan<double> prevMean = result.FilteredMeans.AsSpan((t - 1) * n, n);
            ReadOnlySpan<double> prevCov = result.FilteredCovariances.AsSpan((t - 1) * nn, nn);
            Span<double> predMean = result.PredictedMeans.AsSpan(t * n, n);
            Span<double> predCov = result.PredictedCovariances.AsSpan(t * nn, nn);
            Span<double> mean = result.FilteredMeans.AsSpan(t * n, n);
            Span<double> cov = result.FilteredCovariances.AsSpan(t * nn, nn);

            // Predict: m⁻ = F m, P⁻ = F P Fᵀ + Q.
            SmallMatrix.MultiplyVector(f, false, prevMean, predMean, n, n);
            SmallMatrix.Multiply(f, false, prevCov, false, _tmpNn, n, n, n);
            SmallMatrix.Multiply(_tmpNn, false, f, true, predCov, n, n, n);
            for (int i = 0; i < nn; i++) predCov[i] += q[i];
            SmallMatrix.Symmetrize(predCov, n);

            // Innovation e = y − H m⁻ and its covariance S = H P⁻ Hᵀ + R, kept as a Cholesky factor.
            ReadOnlySpan<double> y = observations.Slice((t - 1) * p, p);
            SmallMatrix.MultiplyVector(h, false, predMean, _innovation, p, n);
            for (int i = 0; i < p; i++) _innovation[i] = y[i] - _innovation[i];
            SmallMatrix.Multiply(h, false, predCov, false, _hp, p, n, n);
            SmallMatrix.Multiply(_hp, false, h, true, _innovationCov, p, n, p);
            for (int i = 0; i < p * p; i++) _innovationCov[i] += r[i];
            SmallMatrix.Symmetrize(_innovationCov, p);
            if (!Cholesky.TryFactorLower(_innovationCov, p))
                throw new InvalidOperationException($"KalmanFilter: the innovation covariance at t = {t} is not positive definite; check that R is positive definite.");
            logLikelihood -= 0.5 * (p * log2Pi + Cholesky.LogDeterminant(_innovationCov, p)
                                    + Cholesky.MahalanobisSquared(_innovationCov, p, _innovation, _work));

            // Gain: Kᵀ = S⁻¹ H P⁻ (S symmetric), so K = P⁻ Hᵀ S⁻¹.
            _hp.CopyTo(_gainT, 0);
            Cholesky.Solve(_innovationCov, p, _gainT, n);

            // m = m⁻ + K e.
            predMean.CopyTo(mean);
            for (int i = 0; i < n; i++)
            {
                double s = 0.0;
                for (int k = 0; k < p; k++) s += _gainT[k * n + i] * _innovation[k];
                mean[i] += s;
            }

            // Joseph form: P = (I − K H) P⁻ (I − K H)ᵀ + K R Kᵀ.
            SmallMatrix.Multiply(_gainT, true, h, false, _identityMinusKh, n, p, n);
            for (int i = 0; i < nn; i++) _identityMinusKh[i] = -_identityMinusKh[i];
            for (int i = 0; i < n; i++) _identityMinusKh[i * n + i] += 1.0;
            SmallMatrix.Multiply(_identityMinusKh, false, predCov, false, _tmpNn, n, n, n);
            SmallMatrix.Multiply(_tmpNn, false, _identityMinusKh, true, cov, n, n, n);
            SmallMatrix.Multiply(_gainT, true, r, false, _kr, n, p, p);
            SmallMatrix.Multiply(_kr, false, _gainT, false, _tmpNn2, n, p, n);
            for (int i = 0; i < nn; i++) cov[i] += _tmpNn2[i];
            SmallMatrix.Symmetrize(cov, n);
        }
        result.LogLikelihood = logLikelihood;
    }

    private int CheckedLength(ReadOnlySpan<double> observations)
    {
        int p = _model.ObservationDimension;
        if (observations.Length == 0 || observations.Length % p != 0)
            throw new ArgumentException($"KalmanFilter: observations have {observations.Length} values, expected a positive multiple of p = {p}.", nameof(observations));
        for (int i = 0; i < observations.Length; i++)
            if (!double.IsFinite(observations[i]))
                throw new ArgumentException($"KalmanFilter: observation value {i} (t = {i / p + 1}) is {observations[i]}, expected a finite number.", nameof(observations));
        return observations.Length / p;
    }
}
