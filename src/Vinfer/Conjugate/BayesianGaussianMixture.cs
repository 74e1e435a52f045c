using Vinfer.Distributed;
using Vinfer.Tensors.Kernels;

namespace Vinfer.Conjugate;

/// <summary>
/// The variational Bayesian Gaussian mixture (Attias 1999; Bishop 2006, §10.2; Blei and Jordan 2006 for the
/// Dirichlet-process weights) as a conjugate model (<see cref="IConjugateModel"/>): x_n | z_n = k ~ N(μ_k, Λ_k⁻¹),
/// z_n ~ Categorical(π), π from a Dirichlet or a truncated stick-breaking prior, and (μ_k, Λ_k) from a Normal–Wishart
/// (full covariance) or per-dimension Normal–Gamma (diagonal) prior, with scikit-learn's BayesianGaussianMixture
/// priors by default (<see cref="GaussianMixtureSettings"/>). The mean-field factor q(z_n) is categorical; the
/// global factors stay in the priors' families. The E-step is <see cref="MixtureResponsibilityKernel"/> (two GEMMs
/// per block of rows). The data are centered on their mean internally (the model is translation-equivariant when the
/// mean prior moves with the data), which keeps the second-moment statistics well conditioned; reported means are
/// in the data's coordinates. Natural-parameter layout: the weights' (K for a Dirichlet, 2K for the sticks), then
/// each component's (<see cref="NormalWishart"/>: d + 2 + d²; diagonal: d blocks of <see cref="NormalGamma"/>'s 4).
/// </summary>
public sealed class BayesianGaussianMixture : IConjugateModel
{
    private readonly double[] _data;
    private readonly double[] _center;
    private readonly double[] _prior;
    private readonly double[] _natural;
    private readonly int _weightLength;
    private readonly int _componentLength;
    private readonly DirichletCategorical? _dirichletPrior;
    private readonly StickBreakingWeights? _stickPrior;
    private readonly NormalWishart[] _wishartPriors = [];
    private readonly NormalGamma[] _gammaPriors = [];
    private DirichletCategorical? _dirichlet;
    private StickBreakingWeights? _sticks;
    private NormalWishart[] _wisharts = [];
    private NormalGamma[] _gammas = [];

    /// <summary>
    /// The model for <paramref name="count"/> points of dimension <paramref name="dimension"/> (row-major in
    /// <paramref name="data"/>), with q(θ) at the prior until initialized (<see cref="InitializeFromAssignments"/>).
    /// </summary>
    public BayesianGaussianMixture(ReadOnlySpan<double> data, int count, int dimension, GaussianMixtureSettings settings)
        : this(data, count, dimension, settings, null)
    {
    }

    /// <summary>
    /// One process's share of a data-parallel mixture: <paramref name="data"/> holds this process's
    /// <paramref name="count"/> points, and the data's mean, the default covariance prior, k-means and every E-step's
    /// expected sufficient statistics are summed over <paramref name="communicator"/>'s processes (one allreduce per
    /// CAVI iteration), so every process holds the q(θ) of the mixture of all the points.
    /// </summary>
    public BayesianGaussianMixture(ReadOnlySpan<double> data, int count, int dimension, GaussianMixtureSettings settings, ICommunicator? communicator)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (dimension < 1) throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "the dimension must be at least 1.");
        if (count < 1 || data.Length != count * dimension)
            throw new ArgumentException($"data has {data.Length} values, expected {count} points × {dimension} dimensions (at least one point).", nameof(data));
        Communicator = communicator is { Size: > 1 } ? communicator : null;
        long total = count;
        if (Communicator is not null)
        {
            var counts = new double[Communicator.Size];
            counts[Communicator.Rank] = count;
            Communicator.AllreduceSum(counts);
            total = 0;
            for (int r = 0; r < counts.Length; r++)
            {
                if (r == Communicator.Rank) RowOffset = (int)total;
                total += (long)counts[r];
            }
        }
        TotalCount = checked((int)total);
        int k = settings.Components;
        if (k < 1 || k > TotalCount) throw new ArgumentOutOfRangeException(nameof(settings), k, $"the number of components must be between 1 and the number of points ({TotalCount}); got {k}.");
        for (int i = 0; i < data.Length; i++)
            if (!double.IsFinite(data[i])) throw new ArgumentException($"data: point {i / dimension}, coordinate {i % dimension} is {data[i]}; every value must be finite.", nameof(data));
        if (settings.BlockRows < 1) throw new ArgumentOutOfRangeException(nameof(settings), settings.BlockRows, "BlockRows must be at least 1.");
        if (!(settings.CovarianceRegularization >= 0)) throw new ArgumentOutOfRangeException(nameof(settings), settings.CovarianceRegularization, "CovarianceRegularization must be non-negative.");
        Settings = settings;
        DataCount = count;
        Dimension = dimension;
        Components = k;
        int d = dimension;

        _center = new double[d];
        for (int n = 0; n < count; n++) for (int i = 0; i < d; i++) _center[i] += data[n * d + i];
        Communicator?.AllreduceSum(_center);
        for (int i = 0; i < d; i++) _center[i] /= TotalCount;
        _data = new double[data.Length];
        for (int n = 0; n < count; n++) for (int i = 0; i < d; i++) _data[n * d + i] = data[n * d + i] - _center[i];

        double gamma = settings.WeightConcentration ?? 1.0 / k;
        if (!(gamma > 0) || double.IsInfinity(gamma)) throw new ArgumentOutOfRangeException(nameof(settings), gamma, "the weight concentration must be finite and positive.");
        if (settings.WeightPrior == WeightPriorKind.Dirichlet) { _dirichletPrior = DirichletCategorical.Symmetric(k, gamma); _weightLength = k; }
        else { _stickPrior = StickBreakingWeights.Prior(k, gamma); _weightLength = 2 * k; }

        double beta0 = settings.MeanPrecision;
        if (!(beta0 > 0) || double.IsInfinity(beta0)) throw new ArgumentOutOfRangeException(nameof(settings), beta0, "the mean precision β₀ must be finite and positive.");
        double nu0 = settings.DegreesOfFreedom ?? d;
        if (!(nu0 > d - 1) || double.IsInfinity(nu0)) throw new ArgumentOutOfRangeException(nameof(settings), nu0, $"the degrees of freedom ν₀ must be greater than d − 1 = {d - 1}.");
        var m0 = new double[d];
        if (settings.MeanPrior is { } meanPrior)
        {
            if (meanPrior.Length != d) throw new ArgumentException($"MeanPrior has {meanPrior.Length} values, expected {d}.", nameof(settings));
            for (int i = 0; i < d; i++) m0[i] = meanPrior[i] - _center[i];
        }
        var covariancePrior = settings.CovariancePrior ?? DataCovariance(settings.Covariance);
        if (settings.Covariance == CovarianceKind.Full)
        {
            if (covariancePrior.Length != d * d) throw new ArgumentException($"CovariancePrior has {covariancePrior.Length} values, expected {d}×{d}.", nameof(settings));
            var w0 = NormalWishart.Inverse(covariancePrior, d);
            var prior = new NormalWishart(m0, beta0, w0, nu0);
            _wishartPriors = Enumerable.Repeat(prior, k).ToArray();
            _componentLength = NormalWishart.NaturalLength(d);
        }
        else
        {
            if (covariancePrior.Length != d) throw new ArgumentException($"CovariancePrior has {covariancePrior.Length} values, expected {d} variances.", nameof(settings));
            _gammaPriors = new NormalGamma[d];
            for (int i = 0; i < d; i++) _gammaPriors[i] = new NormalGamma(m0[i], beta0, 0.5 * nu0, 0.5 * covariancePrior[i]);
            _componentLength = NormalGamma.NaturalLength * d;
        }
        GlobalDimension = _weightLength + k * _componentLength;
        _prior = new double[GlobalDimension];
        if (_dirichletPrior is not null) _dirichletPrior.NaturalParameters(_prior);
        else _stickPrior!.NaturalParameters(_prior);
        for (int c = 0; c < k; c++) ComponentPriorNatural(_prior.AsSpan(_weightLength + c * _componentLength, _componentLength));
        _natural = (double[])_prior.Clone();
        SetNaturalParameters(_natural);
    }

    /// <summary>The settings.</summary>
    public GaussianMixtureSettings Settings { get; }

    /// <summary>The processes of a data-parallel fit (null for a single process).</summary>
    public ICommunicator? Communicator { get; }

    /// <summary>The number of points over all processes (<see cref="DataCount"/> on a single process).</summary>
    public int TotalCount { get; }

    /// <summary>The global index of this process's first point (0 on a single process).</summary>
    public int RowOffset { get; }

    /// <inheritdoc />
    public string Name => $"Bayesian Gaussian mixture (K = {Components}, {Settings.Covariance}, {Settings.WeightPrior})";

    /// <inheritdoc />
    public int DataCount { get; }

    /// <summary>d.</summary>
    public int Dimension { get; }

    /// <summary>K.</summary>
    public int Components { get; }

    /// <inheritdoc />
    public int GlobalDimension { get; }

    /// <summary>q(μ_k, Λ_k) (full covariances; in centered coordinates).</summary>
    public NormalWishart FullComponent(int component) => Settings.Covariance == CovarianceKind.Full ? _wisharts[component]
        : throw new InvalidOperationException("the mixture has diagonal covariances; use DiagonalComponent.");

    /// <summary>The Normal–Wishart prior of every component (full covariances; centered coordinates).</summary>
    public NormalWishart FullComponentPrior => Settings.Covariance == CovarianceKind.Full ? _wishartPriors[0]
        : throw new InvalidOperationException("the mixture has diagonal covariances; use DiagonalComponentPrior.");

    /// <summary>q(μ_kj, τ_kj) of coordinate j of component k (diagonal covariances; centered coordinates).</summary>
    public NormalGamma DiagonalComponent(int component, int coordinate) => Settings.Covariance == CovarianceKind.Diagonal ? _gammas[component * Dimension + coordinate]
        : throw new InvalidOperationException("the mixture has full covariances; use FullComponent.");

    /// <summary>The Normal–Gamma prior of coordinate j (diagonal covariances; centered coordinates).</summary>
    public NormalGamma DiagonalComponentPrior(int coordinate) => Settings.Covariance == CovarianceKind.Diagonal ? _gammaPriors[coordinate]
        : throw new InvalidOperationException("the mixture has full covariances; use FullComponentPrior.");

    /// <summary>q(π) for a Dirichlet weight prior (null for stick-breaking).</summary>
    public DirichletCategorical? DirichletWeights => _dirichlet;

    /// <summary>The Dirichlet weight prior (null for stick-breaking).</summary>
    public DirichletCategorical? DirichletWeightsPrior => _dirichletPrior;

    /// <summary>q(v) of the sticks for a Dirichlet-process prior (null for a Dirichlet).</summary>
    public StickBreakingWeights? StickWeights => _sticks;

    /// <summary>The sticks' prior (null for a Dirichlet).</summary>
    public StickBreakingWeights? StickWeightsPrior => _stickPrior;

    /// <summary>The data centered on their mean (what k-means and the kernels see).</summary>
    public ReadOnlySpan<double> CenteredData => _data;

    /// <summary>The data's mean, subtracted internally.</summary>
    public ReadOnlySpan<double> DataMean => _center;

    /// <summary>
    /// The constant C with ELBO = scikit-learn's lower bound + C for full covariances, right after an M-step: the
    /// ELBO there is H(q(z)) − (Nd/2) log 2π + A(λ) − A(η₀), and scikit-learn's lower_bound_ keeps H(q(z)) and A(λ)
    /// without the log Γ_d term d(d − 1)/4 · log π per component. So C = K·d(d − 1)/4 · log π − (Nd/2) log 2π − A(η₀).
    /// Lets the two libraries' bounds be compared at equal settings. NaN for diagonal covariances (scikit-learn's
    /// diagonal bound uses Wishart-style log-determinant terms that are not this model's).
    /// </summary>
    public double ScikitLearnBoundOffset
    {
        get
        {
            if (Settings.Covariance != CovarianceKind.Full) return double.NaN;
            int d = Dimension;
            double priorPartition = _dirichletPrior?.LogPartition ?? StickLogPartition(_stickPrior!);
            priorPartition += Components * _wishartPriors[0].LogPartition;
            return Components * 0.25 * d * (d - 1) * Math.Log(Math.PI) - 0.5 * TotalCount * d * Math.Log(2 * Math.PI) - priorPartition;
        }
    }

    private static double StickLogPartition(StickBreakingWeights sticks)
    {
        var eta = new double[2 * sticks.Components];
        sticks.NaturalParameters(eta);
        double total = 0;
        for (int k = 0; k < sticks.Components; k++)
            total += new BetaBernoulli(eta[2 * k] + 1, eta[2 * k + 1] + 1).LogPartition;
        return total;
    }

    private int FeatureCount => MixtureResponsibilityKernel.FeatureCount(Dimension, Settings.Covariance);

    private double[] DataCovariance(CovarianceKind kind)
    {
        int d = Dimension, n = TotalCount;
        if (n < 2) throw new ArgumentException("the default covariance prior (the data's covariance) needs at least two points; set CovariancePrior.", nameof(kind));
        var c = new double[d * d];
        for (int r = 0; r < DataCount; r++)
            for (int i = 0; i < d; i++)
                for (int j = 0; j <= i; j++) c[i * d + j] += _data[r * d + i] * _data[r * d + j];
        Communicator?.AllreduceSum(c);
        for (int i = 0; i < d; i++)
            for (int j = 0; j <= i; j++) c[j * d + i] = c[i * d + j] /= n - 1;
        if (kind == CovarianceKind.Full) return c;
        var v = new double[d];
        for (int i = 0; i < d; i++) v[i] = c[i * d + i];
        for (int i = 0; i < d; i++)
            if (!(v[i] > 0)) throw new ArgumentException($"coordinate {i} of the data is constant; the default covariance prior needs positive variances.", nameof(kind));
        return v;
    }

    private void ComponentPriorNatural(Span<double> destination)
    {
        if (Settings.Covariance == CovarianceKind.Full) _wishartPriors[0].NaturalParameters(destination);
        else for (int i = 0; i < Dimension; i++) _gammaPriors[i].NaturalParameters(destination.Slice(4 * i, 4));
    }

    /// <inheritdoc />
    public void PriorNaturalParameters(Span<double> destination) => _prior.CopyTo(destination);

    /// <inheritdoc />
    public void GetNaturalParameters(Span<double> destination) => _natural.CopyTo(destination);

    /// <inheritdoc />
    public void SetNaturalParameters(ReadOnlySpan<double> naturalParameters)
    {
        if (naturalParameters.Length != GlobalDimension) throw new ArgumentException($"{naturalParameters.Length} natural parameters, expected {GlobalDimension}.", nameof(naturalParameters));
        var weights = naturalParameters[.._weightLength];
        DirichletCategorical? dirichlet = null;
        StickBreakingWeights? sticks = null;
        if (_dirichletPrior is not null)
        {
            var a = new double[Components];
            for (int c = 0; c < Components; c++) a[c] = weights[c] + 1;
            dirichlet = new DirichletCategorical(a);
        }
        else sticks = StickBreakingWeights.FromNatural(weights);
        int d = Dimension;
        var wisharts = Settings.Covariance == CovarianceKind.Full ? new NormalWishart[Components] : [];
        var gammas = Settings.Covariance == CovarianceKind.Diagonal ? new NormalGamma[Components * d] : [];
        for (int c = 0; c < Components; c++)
        {
            var slice = naturalParameters.Slice(_weightLength + c * _componentLength, _componentLength);
            if (Settings.Covariance == CovarianceKind.Full) wisharts[c] = NormalWishart.FromNatural(slice, d);
            else for (int i = 0; i < d; i++) gammas[c * d + i] = NormalGamma.FromNatural(slice.Slice(4 * i, 4));
        }
        // Only now that every factor was valid does the state change.
        naturalParameters.CopyTo(_natural);
        _dirichlet = dirichlet; _sticks = sticks; _wisharts = wisharts; _gammas = gammas;
    }

    /// <inheritdoc />
    public void ExpectedGlobalStatistics(Span<double> destination)
    {
        if (_dirichlet is not null) _dirichlet.ExpectedSufficientStatistics(destination[.._weightLength]);
        else _sticks!.ExpectedSufficientStatistics(destination[.._weightLength]);
        for (int c = 0; c < Components; c++)
        {
            var slice = destination.Slice(_weightLength + c * _componentLength, _componentLength);
            if (Settings.Covariance == CovarianceKind.Full) _wisharts[c].ExpectedSufficientStatistics(slice);
            else for (int i = 0; i < Dimension; i++) _gammas[c * Dimension + i].ExpectedSufficientStatistics(slice.Slice(4 * i, 4));
        }
    }

    /// <inheritdoc />
    public double GlobalKullbackLeibler()
    {
        double kl = _dirichlet is not null ? _dirichlet.KullbackLeiblerTo(_dirichletPrior!) : _sticks!.KullbackLeiblerTo(_stickPrior!);
        for (int c = 0; c < Components; c++)
        {
            if (Settings.Covariance == CovarianceKind.Full) kl += _wisharts[c].KullbackLeiblerTo(_wishartPriors[c]);
            else for (int i = 0; i < Dimension; i++) kl += _gammas[c * Dimension + i].KullbackLeiblerTo(_gammaPriors[i]);
        }
        return kl;
    }

    /// <summary>E[log π_k] under the current q(π).</summary>
    public double[] ExpectedLogWeights()
    {
        var e = new double[Components];
        if (_dirichlet is not null) _dirichlet.ExpectedLogProbabilities(e);
        else _sticks!.ExpectedLogWeights(e);
        return e;
    }

    /// <summary>
    /// The E-step's K×P coefficients: row k holds the coefficients of φ(x) in E[log π_k] + E[log N(x | μ_k, Λ_k⁻¹)],
    /// read off E_q[T] of component k (the expected log-density is ⟨E[T_k], (x, 1, x xᵀ, 1)⟩ − (d/2) log 2π).
    /// </summary>
    private double[] Coefficients()
    {
        int d = Dimension, p = FeatureCount, k = Components;
        var coefficients = new double[k * p];
        var logWeights = ExpectedLogWeights();
        var e = new double[_componentLength];
        double logNormal = -0.5 * d * Math.Log(2 * Math.PI);
        for (int c = 0; c < k; c++)
        {
            var row = coefficients.AsSpan(c * p, p);
            int f = 0;
            if (Settings.Covariance == CovarianceKind.Full)
            {
                _wisharts[c].ExpectedSufficientStatistics(e);
                for (int i = 0; i < d; i++)
                    for (int j = i; j < d; j++) row[f++] = (i == j ? 1 : 2) * e[d + 1 + i * d + j];
                for (int i = 0; i < d; i++) row[f + i] = e[i];
                row[f + d] = e[d] + e[d + 1 + d * d] + logWeights[c] + logNormal;
            }
            else
            {
                double constant = logWeights[c] + logNormal;
                for (int i = 0; i < d; i++)
                {
                    _gammas[c * d + i].ExpectedSufficientStatistics(e.AsSpan(4 * i, 4));
                    row[i] = e[4 * i + 2];
                    row[d + i] = e[4 * i];
                    constant += e[4 * i + 1] + e[4 * i + 3];
                }
                row[2 * d] = constant;
            }
        }
        return coefficients;
    }

    /// <inheritdoc />
    public double LocalStep(ReadOnlySpan<int> indices, bool allData, Span<double> statistics)
    {
        if (Communicator is null)
        {
            int count = allData ? DataCount : indices.Length;
            var pass = MixtureResponsibilityKernel.Run(_data, allData ? null : indices.ToArray(), count, Dimension, Settings.Covariance,
                Coefficients(), Components, Settings.BlockRows);
            StatisticsFromFeatureSums(pass.Statistics, statistics);
            return pass.Entropy - 0.5 * count * Dimension * Math.Log(2 * Math.PI);
        }
        // a minibatch holds global indices (SVI draws them from all TotalCount points): keep this process's, made local
        int[]? own = null;
        if (!allData)
        {
            var kept = new List<int>();
            foreach (int i in indices)
                if (i >= RowOffset && i < RowOffset + DataCount) kept.Add(i - RowOffset);
            own = kept.ToArray();
        }
        int ownCount = own?.Length ?? DataCount;
        // one allreduce per iteration: every process's Σ r_nk φ(x_n) and its entropy term, summed
        var sums = new double[Components * FeatureCount + 1];
        if (ownCount > 0)
        {
            var pass = MixtureResponsibilityKernel.Run(_data, own, ownCount, Dimension, Settings.Covariance, Coefficients(), Components, Settings.BlockRows);
            pass.Statistics.CopyTo(sums, 0);
            sums[^1] = pass.Entropy - 0.5 * ownCount * Dimension * Math.Log(2 * Math.PI);
        }
        Communicator.AllreduceSum(sums);
        StatisticsFromFeatureSums(sums.AsSpan(0, sums.Length - 1), statistics);
        return sums[^1];
    }

    /// <summary>Maps Σ_n r_nk φ(x_n) (K×P) into the natural-parameter layout.</summary>
    private void StatisticsFromFeatureSums(ReadOnlySpan<double> sums, Span<double> statistics)
    {
        int d = Dimension, p = FeatureCount, k = Components;
        double reg = Settings.CovarianceRegularization;
        var counts = new double[k];
        for (int c = 0; c < k; c++) counts[c] = sums[c * p + p - 1];
        if (_dirichletPrior is not null) counts.CopyTo(statistics);
        else StickBreakingWeights.StatisticsOfCounts(counts, statistics[.._weightLength]);
        for (int c = 0; c < k; c++)
        {
            var s = sums.Slice(c * p, p);
            var t = statistics.Slice(_weightLength + c * _componentLength, _componentLength);
            if (Settings.Covariance == CovarianceKind.Full)
            {
                int quad = d * (d + 1) / 2;
                for (int i = 0; i < d; i++) t[i] = s[quad + i];
                t[d] = counts[c];
                int f = 0;
                for (int i = 0; i < d; i++)
                    for (int j = i; j < d; j++)
                    {
                        double v = s[f++] + (i == j ? reg * counts[c] : 0);
                        t[d + 1 + i * d + j] = v;
                        t[d + 1 + j * d + i] = v;
                    }
                t[d + 1 + d * d] = counts[c];
            }
            else
            {
                for (int i = 0; i < d; i++)
                {
                    t[4 * i] = s[d + i];
                    t[4 * i + 1] = counts[c];
                    t[4 * i + 2] = s[i] + reg * counts[c];
                    t[4 * i + 3] = counts[c];
                }
            }
        }
    }

    /// <summary>
    /// Sets q(θ) to its optimum given hard assignments (one-hot responsibilities), as scikit-learn initializes from
    /// k-means labels.
    /// </summary>
    public void InitializeFromAssignments(ReadOnlySpan<int> labels)
    {
        if (labels.Length != DataCount) throw new ArgumentException($"{labels.Length} labels, expected {DataCount}.", nameof(labels));
        int d = Dimension, p = FeatureCount, k = Components;
        var sums = new double[k * p];
        var phi = new double[p];
        for (int n = 0; n < DataCount; n++)
        {
            int c = labels[n];
            if ((uint)c >= (uint)k) throw new ArgumentOutOfRangeException(nameof(labels), c, $"label of point {n} must be in [0, {k}).");
            MixtureResponsibilityKernel.Features(_data.AsSpan(n * d, d), 1, d, Settings.Covariance, phi);
            for (int f = 0; f < p; f++) sums[c * p + f] += phi[f];
        }
        Communicator?.AllreduceSum(sums);
        var statistics = new double[GlobalDimension];
        StatisticsFromFeatureSums(sums, statistics);
        for (int i = 0; i < statistics.Length; i++) statistics[i] += _prior[i];
        SetNaturalParameters(statistics);
    }

    /// <summary>The most probable component of every point under the current q (the E-step's argmax).</summary>
    public int[] Assignments()
    {
        var labels = new int[DataCount];
        MixtureResponsibilityKernel.Run(_data, null, DataCount, Dimension, Settings.Covariance, Coefficients(), Components, Settings.BlockRows, labels);
        return labels;
    }

    /// <summary>The point estimate of the weights scikit-learn reports (weights_): E[π] normalized to sum to 1.</summary>
    public double[] Weights()
    {
        var w = _dirichlet is not null ? _dirichlet.Mean() : _sticks!.ExpectedWeights();
        double sum = w.Sum();
        return w.Select(v => v / sum).ToArray();
    }

    /// <summary>The components' mean estimates m_k in the data's coordinates (K×d row-major).</summary>
    public double[] Means()
    {
        int d = Dimension;
        var m = new double[Components * d];
        for (int c = 0; c < Components; c++)
            for (int i = 0; i < d; i++)
                m[c * d + i] = _center[i] + (Settings.Covariance == CovarianceKind.Full ? _wisharts[c].Mean[i] : _gammas[c * d + i].Mean);
        return m;
    }

    /// <summary>The covariance estimates scikit-learn reports (covariances_): W_k⁻¹/ν_k, or b/a per dimension (K×d×d row-major; diagonal ones as full matrices).</summary>
    public double[] Covariances()
    {
        int d = Dimension;
        var s = new double[Components * d * d];
        for (int c = 0; c < Components; c++)
        {
            if (Settings.Covariance == CovarianceKind.Full) _wisharts[c].CovarianceEstimate().CopyTo(s, c * d * d);
            else for (int i = 0; i < d; i++) s[c * d * d + i * d + i] = _gammas[c * d + i].Rate / _gammas[c * d + i].Shape;
        }
        return s;
    }

    /// <summary>
    /// The mean log-density (1/N) Σ_n log Σ_k w_k N(x_n | m_k, Σ_k) of the plug-in mixture (<see cref="Weights"/>,
    /// <see cref="Means"/>, <see cref="Covariances"/>), scikit-learn's score(X), over <paramref name="points"/>
    /// (row-major, dimension d).
    /// </summary>
    public double MeanLogLikelihood(ReadOnlySpan<double> points) =>
        GaussianMixtureDensity.MeanLogDensity(points, Dimension, Weights(), Means(), Covariances());
}
