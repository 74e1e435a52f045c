using Vinfer.Tensors.Kernels;

namespace Vinfer.StateSpace;

/// <summary>
/// The Rauch–Tung–Striebel fixed-interval smoother: the posterior marginals of every state given all T
/// observations and the lag-one cross-covariances that EM needs, in O(T n³) after a <see cref="KalmanFilter"/> pass.
/// </summary>
/// <remarks>
/// Rauch, Tung &amp; Striebel (1965); Särkkä (2013), Thm 8.2. The smoother gain J_t = P_t Fᵀ (P⁻_{t+1})⁻¹ is obtained
/// from a Cholesky solve with P⁻_{t+1}; the cross-covariance is Cov[x_{t+1}, x_t | y_{1:T}] = P^s_{t+1} J_tᵀ
/// (Shumway &amp; Stoffer, <i>Time Series Analysis and Its Applications</i>, Property 6.3 and eq. 6.56 in its RTS form).
/// P⁻_{t+1} must be positive definite (e.g. Q positive definite). Not thread-safe: one instance owns its scratch buffers.
/// </remarks>
public sealed class RtsSmoother
{
    private readonly KalmanFilter _filter;
    private readonly double[] _gainT, _predFactor, _diffMean, _diffCov, _tmpNn;

    /// <summary>Creates a smoother for <paramref name="model"/>.</summary>
    public RtsSmoother(LinearGaussianStateSpaceModel model)
    {
        _filter = new KalmanFilter(model);
        int n = model.StateDimension;
        _gainT = new double[n * n];
        _predFactor = new double[n * n];
        _diffMean = new double[n];
        _diffCov = new double[n * n];
        _tmpNn = new double[n * n];
    }

    /// <summary>Filters and smooths T×p row-major observations.</summary>
    public SmoothedStates Smooth(ReadOnlySpan<double> observations)
    {
        var filtered = _filter.Filter(observations);
        var smoothed = new SmoothedStates(filtered.Length, filtered.StateDimension);
        Smooth(filtered, smoothed);
        return smoothed;
    }

    /// <summary>Runs the backward pass on a filter result into <paramref name="smoothed"/> (allocation-free).</summary>
    public void Smooth(KalmanFilterResult filtered, SmoothedStates smoothed)
    {
        int n = filtered.StateDimension, nn = n * n, length = filtered.Length;
        if (smoothed.Length != length || smoothed.StateDimension != n)
            throw new ArgumentException("RtsSmoother.Smooth: the smoothed-state buffer does not match the filter result's size.", nameof(smoothed));
        ReadOnlySpan<double> f = _filter.Model.Transition;
        filtered.FilteredMeans.AsSpan(length * n, n).CopyTo(smoothed.Means.AsSpan(length * n, n));
        filtered.FilteredCovariances.AsSpan(length * nn, nn).CopyTo(smoothed.Covariances.AsSpan(length * nn, nn));
        smoothed.LagOneCovariances.AsSpan(0, nn).Clear();

        for (int t = length - 1; t >= 0; t--)
        {
            ReadOnlySpan<double> mean = filtered.FilteredMeans.AsSpan(t * n, n);
            ReadOnlySpan<double> cov = filtered.FilteredCovariances.AsSpan(t * nn, nn);
            ReadOnlySpan<double> predMean = filtered.PredictedMeans.AsSpan((t + 1) * n, n);
            ReadOnlySpan<double> predCov = filtered.PredictedCovariances.AsSpan((t + 1) * nn, nn);
            ReadOnlySpan<double> nextMean = smoothed.Means.AsSpan((t + 1) * n, n);
            ReadOnlySpan<double> nextCov = smoothed.Covariances.AsSpan((t + 1) * nn, nn);

            // Jᵀ = (P⁻_{t+1})⁻¹ F P_t, a Cholesky solve with n right-hand sides.
            SmallMatrix.Multiply(f, false, cov, false, _gainT, n, n, n);
            predCov.CopyTo(_predFactor);
            if (!Cholesky.TryFactorLower(_predFactor, n))
                throw new InvalidOperationException($"RtsSmoother: the predicted covariance at t = {t + 1} is not positive definite; the smoother needs a positive-definite transition covariance Q.");
            Cholesky.Solve(_predFactor, n, _gainT, n);

            // m^s_t = m_t + J (m^s_{t+1} − m⁻_{t+1}).
            Span<double> outMean = smoothed.Means.AsSpan(t * n, n);
            for (int i = 0; i < n; i++) _diffMean[i] = nextMean[i] - predMean[i];
            for (int i = 0; i < n; i++)
            {
                double s = 0.0;
                for (int k = 0; k < n; k++) s += _gainT[k * n + i] * _diffMean[k];
                outMean[i] = mean[i] + s;
            }

            // P^s_t = P_t + J (P^s_{t+1} − P⁻_{t+1}) Jᵀ.
            for (int i = 0; i < nn; i++) _diffCov[i] = nextCov[i] - predCov[i];
            SmallMatrix.Multiply(_gainT, true, _diffCov, false, _tmpNn, n, n, n);
            Span<double> outCov = smoothed.Covariances.AsSpan(t * nn, nn);
            SmallMatrix.Multiply(_tmpNn, false, _gainT, false, outCov, n, n, n);
            for (int i = 0; i < nn; i++) outCov[i] += cov[i];
            SmallMatrix.Symmetrize(outCov, n);

            // Cov[x_{t+1}, x_t | y] = P^s_{t+1} Jᵀ.
            SmallMatrix.Multiply(nextCov, false, _gainT, false, smoothed.LagOneCovariances.AsSpan((t + 1) * nn, nn), n, n, n);
        }
        smoothed.LogLikelihood = filtered.LogLikelihood;
    }
}
