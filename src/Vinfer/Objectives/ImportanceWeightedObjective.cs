using System.Text.Json.Nodes;
using Vinfer.Modeling;
using Vinfer.Modeling.Handlers;
using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Objectives;

/// <summary>
/// The family of multi-sample bounds f_α(w_1…w_K) = (1/(1 − α)) log (1/K) Σ_k w_k^{1−α} on the importance weights
/// w_k = p(x, z_k)/q(z_k), z_k ~ q, that IWAE (α = 0, Burda et al. 2016), the variational Rényi bound (Li and Turner
/// 2016), VR-IWAE (Daudel, Benton, Shi and Doucet 2023) and CUBO (α = −1, Dieng et al. 2017) share; α = 1 is the
/// ELBO (the mean of log w_k, handled exactly) and α = −∞ is VR-max (max_k log w_k).
/// <para>
/// All K·S draws (K importance samples for each of S independent estimates) come from one vectorized pass of
/// <see cref="ParticleLogWeights"/>: particle p = s·K + k, log-weights reshaped to [S, K]. With a local plate the
/// importance samples are per entry of that plate: the log-weights are [S, K, B] and the bound is
/// (plate scale)·Σ_b f_α(w_{1,b}…w_{K,b}) plus the mean of the terms outside the plate, which must not hold latents
/// (a global latent shared by a point's K samples would need one draw per estimate, not per particle).
/// </para>
/// <para>
/// The reported estimate is the mean over the S estimates of the bound; the log-sum-exps are computed stably. The
/// gradient depends on <see cref="GradientEstimator"/>. Limits: the Monte Carlo estimate of f_α is biased for the
/// single-sample VR bound L_α when K is finite (it is exactly the VR-IWAE bound); DReG is not defined for VR-max.
/// </para>
/// </summary>
public abstract class ImportanceWeightedObjective : IObjective
{
    private readonly ScoreFunctionBaselines _baselines = new();
    private readonly ExponentiatedCuboSurrogate? _cuboSurrogate;

    /// <summary>Validates and stores the settings shared by the family.</summary>
    protected ImportanceWeightedObjective(string name, double alpha, int importanceSamples, int estimates, GradientEstimator estimator, string? localPlate, bool isUpperBound)
    {
        if (double.IsNaN(alpha) || double.IsPositiveInfinity(alpha))
            throw new ArgumentOutOfRangeException(nameof(alpha), $"{name}: alpha must be a real number or −∞ (VR-max), got {alpha}.");
        if (importanceSamples < 1)
            throw new ArgumentOutOfRangeException(nameof(importanceSamples), $"{name}: importance samples K must be at least 1, got {importanceSamples}.");
        if (estimates < 1)
            throw new ArgumentOutOfRangeException(nameof(estimates), $"{name}: independent estimates S must be at least 1, got {estimates}.");
        if (estimator == GradientEstimator.DoublyReparameterized && double.IsNegativeInfinity(alpha))
            throw new ArgumentException($"{name}: the doubly reparameterized estimator is not defined for VR-max (alpha = −∞).", nameof(estimator));
        if (localPlate is not null && localPlate.Length == 0)
            throw new ArgumentException($"{name}: the local plate's name is empty.", nameof(localPlate));
        Name = name;
        Alpha = alpha;
        ImportanceSamples = importanceSamples;
        Estimates = estimates;
        Estimator = estimator;
        LocalPlate = localPlate;
        IsUpperBound = isUpperBound;
    }

    /// <summary>
    /// The family's settings, with the gradient of the reparameterized estimator (without a local plate) taken from
    /// Dieng et al.'s exp(n·bound) surrogate, n = 1 − α, when <paramref name="exponentiatedSurrogate"/> (upper bounds only).
    /// </summary>
    protected ImportanceWeightedObjective(string name, double alpha, int importanceSamples, int estimates, GradientEstimator estimator, string? localPlate, bool isUpperBound, bool exponentiatedSurrogate)
        : this(name, alpha, importanceSamples, estimates, estimator, localPlate, isUpperBound)
    {
        if (exponentiatedSurrogate && !(isUpperBound && alpha < 0 && double.IsFinite(alpha)))
            throw new ArgumentException($"{name}: the exponentiated surrogate applies to upper bounds of finite order alpha < 0, got alpha = {alpha}.", nameof(exponentiatedSurrogate));
        if (exponentiatedSurrogate) _cuboSurrogate = new ExponentiatedCuboSurrogate(1 - alpha);
    }

    /// <summary>True when the reparameterized gradient comes from the exp(n·bound) surrogate (Dieng et al. 2017) rather than the log-mean-exp.</summary>
    public bool UsesExponentiatedSurrogate => _cuboSurrogate is not null;

    /// <summary>The objective's name in messages.</summary>
    public string Name { get; }

    /// <summary>α of f_α; 1 is the ELBO, 0 IWAE, −∞ VR-max.</summary>
    public double Alpha { get; }

    /// <summary>Importance samples K per estimate.</summary>
    public int ImportanceSamples { get; }

    /// <summary>Independent estimates S averaged per evaluation.</summary>
    public int Estimates { get; }

    /// <summary>The gradient estimator.</summary>
    public GradientEstimator Estimator { get; }

    /// <summary>The plate whose entries get their own K importance samples, or null for importance sampling of the whole joint.</summary>
    public string? LocalPlate { get; }

    /// <summary>True when the bound is an upper bound of log p(x) (CUBO): the loss is then the bound itself, minimized.</summary>
    public bool IsUpperBound { get; }

    /// <inheritdoc/>
    public int Particles => ImportanceSamples * Estimates;

    /// <inheritdoc/>
    public ObjectiveValue Evaluate(Action model, Action guide, int maxPlateNesting, RandomStream random)
    {
        var w = ParticleLogWeights.Compute(model, guide, Particles, maxPlateNesting, random);
        if (Estimator == GradientEstimator.DoublyReparameterized)
            foreach (var s in w.GuideTrace.SampleSites)
                if (!s.IsObserved && !s.Distribution!.HasRSample)
                    throw new NotSupportedException(
                        $"{Name}: the doubly reparameterized estimator (DReG) needs a reparameterizable guide, but guide site '{s.Name}' " +
                        $"({s.Distribution.GetType().Name}) has no reparameterized sampler; use the score-function or reparameterized estimator.");
        if (LocalPlate is not null) CheckNoGlobalLatents(w);

        var split = Split(w, w.ModelTrace, w.GuideTrace);
        double estimate = EstimateValue(split);
        Tensor objective;
        switch (Estimator)
        {
            case GradientEstimator.Reparameterized:
            {
                // Dieng et al.'s exp(n·CUBO) surrogate carries the gradient when it applies; the loss's value stays the bound's estimate.
                var surrogate = LocalPlate is null ? _cuboSurrogate?.Evaluate(split.Local, estimate) : null;
                var bound = surrogate is null ? Bound(split) : surrogate + (estimate - surrogate.Item());
                objective = bound + ScoreTerms(split, ScoreSiteLogQ(w, w.GuideTrace, onlyNonReparameterized: true));
                break;
            }
            case GradientEstimator.StickingTheLanding:
            {
                var stl = Split(w, w.ModelTrace, DetachedParameterGuideTrace(guide, w));
                objective = Bound(stl) + ScoreTerms(split, ScoreSiteLogQ(w, w.GuideTrace, onlyNonReparameterized: true));
                break;
            }
            case GradientEstimator.DoublyReparameterized:
                objective = DoublyReparameterizedSurrogate(model, guide, w, split);
                break;
            default:
            {
                var (modelTrace, guideTrace) = DetachedDrawTraces(model, guide, w);
                var detached = Split(w, modelTrace, guideTrace);
                objective = Bound(detached) + ScoreTerms(detached, ScoreSiteLogQ(w, guideTrace, onlyNonReparameterized: false));
                break;
            }
        }
        return new ObjectiveValue(IsUpperBound ? objective : -objective, estimate, w);
    }

    /// <summary>Log-weights arranged for the bound: Local [S, K, B] (B = 1 without a local plate), Global [S, K] or null, and the plate scale.</summary>
    private sealed record Arranged(Tensor Local, Tensor? Global, double PlateScale);

    private Arranged Split(ParticleLogWeights w, Trace modelTrace, Trace guideTrace) => Arrange(w, modelTrace, guideTrace, Estimates);

    private Arranged Arrange(ParticleLogWeights w, Trace modelTrace, Trace guideTrace, int estimates)
    {
        int s = estimates, k = ImportanceSamples;
        if (LocalPlate is null)
        {
            var lw = modelTrace.LogProbPerParticle(w.Particles, w.ParticleDim) - guideTrace.LogProbPerParticle(w.Particles, w.ParticleDim);
            return new Arranged(lw.Reshape(s, k, 1), null, 1.0);
        }
        var (global, local, scale) = w.PlateLogWeights(modelTrace, guideTrace, LocalPlate);
        return new Arranged(local.Reshape(s, k, local.Dim(1)), global.Reshape(s, k), scale);
    }

    /// <summary>f_α along the importance axis (axis 1) of [S, K, B]: shape [S, B], differentiable.</summary>
    private Tensor PerEntryBound(Tensor logWeights)
    {
        if (Alpha == 1) return logWeights.Mean(1);
        if (double.IsNegativeInfinity(Alpha)) return logWeights.Max(1);
        double oneMinusAlpha = 1 - Alpha;
        return ((logWeights * oneMinusAlpha).LogSumExp(1) - Math.Log(ImportanceSamples)) * (1 / oneMinusAlpha);
    }

    /// <summary>The bound averaged over the S estimates, as a differentiable scalar.</summary>
    private Tensor Bound(Arranged a)
    {
        var perEntry = PerEntryBound(a.Local);
        var total = perEntry.Sum() * (a.PlateScale / Estimates);
        return a.Global is null ? total : total + a.Global.Mean();
    }

    /// <summary>The same bound as a number.</summary>
    private double EstimateValue(Arranged a) => EstimateValue(a, Estimates);

    private double EstimateValue(Arranged a, int estimates)
    {
        double total = 0;
        var lw = a.Local.Span;
        int k = ImportanceSamples, b = a.Local.Dim(2);
        var column = new double[k];
        for (int s = 0; s < estimates; s++)
            for (int j = 0; j < b; j++)
            {
                for (int i = 0; i < k; i++) column[i] = lw[(s * k + i) * b + j];
                total += BoundOf(column, Alpha);
            }
        total *= a.PlateScale / estimates;
        if (a.Global is not null)
        {
            double g = 0;
            foreach (double v in a.Global.Span) g += v;
            total += g / a.Global.Count;
        }
        return total;
    }

    /// <summary>f_α(w_1…w_K) from log-weights, stably (log-sum-exp shifted by the maximum).</summary>
    public static double BoundOf(ReadOnlySpan<double> logWeights, double alpha)
    {
        int k = logWeights.Length;
        if (alpha == 1)
        {
            double sum = 0;
            foreach (double v in logWeights) sum += v;
            return sum / k;
        }
        double max = double.NegativeInfinity;
        foreach (double v in logWeights) if (v > max) max = v;
        if (double.IsNegativeInfinity(alpha)) return max;
        double c = 1 - alpha;
        double shift = double.NegativeInfinity;
        foreach (double v in logWeights) shift = Math.Max(shift, c * v);
        if (double.IsInfinity(shift)) return shift / c;
        double acc = 0;
        foreach (double v in logWeights) acc += Math.Exp(c * v - shift);
        return (shift + Math.Log(acc / k)) / c;
    }

    /// <summary>The self-normalized weights w̄_k ∝ w_k^{1−α} along the importance axis of [S, K, B] (1/K for α = 1, the argmax for VR-max).</summary>
    private double[] NormalizedWeights(Tensor logWeights)
    {
        var lw = logWeights.Span;
        int s = Estimates, k = ImportanceSamples, b = logWeights.Dim(2);
        var result = new double[lw.Length];
        double c = 1 - Alpha;
        for (int e = 0; e < s; e++)
            for (int j = 0; j < b; j++)
            {
                if (Alpha == 1)
                {
                    for (int i = 0; i < k; i++) result[(e * k + i) * b + j] = 1.0 / k;
                    continue;
                }
                double max = double.NegativeInfinity;
                int arg = 0;
                for (int i = 0; i < k; i++)
                {
                    double v = double.IsNegativeInfinity(Alpha) ? lw[(e * k + i) * b + j] : c * lw[(e * k + i) * b + j];
                    if (v > max) { max = v; arg = i; }
                }
                if (double.IsNegativeInfinity(Alpha) || double.IsInfinity(max))
                {
                    result[(e * k + arg) * b + j] = 1;
                    continue;
                }
                double total = 0;
                for (int i = 0; i < k; i++) total += Math.Exp(c * lw[(e * k + i) * b + j] - max);
                for (int i = 0; i < k; i++) result[(e * k + i) * b + j] = Math.Exp(c * lw[(e * k + i) * b + j] - max) / total;
            }
        return result;
    }

    /// <summary>
    /// DReG: Σ stop(α w̄ + (1 − α) w̄²)·log w^STL for the guide's parameters (through the draws only), and, when the
    /// model has parameters, Σ stop(w̄ − that coefficient)·log p(x, stop(z)) so the model's gradient stays Σ w̄ ∇ log p.
    /// </summary>
    private Tensor DoublyReparameterizedSurrogate(Action model, Action guide, ParticleLogWeights w, Arranged split)
    {
        var weights = NormalizedWeights(split.Local);
        var coefficient = new double[weights.Length];
        for (int i = 0; i < weights.Length; i++) coefficient[i] = Alpha * weights[i] + (1 - Alpha) * weights[i] * weights[i];
        var shape = split.Local.ShapeArray;
        var stl = Split(w, w.ModelTrace, DetachedParameterGuideTrace(guide, w));
        double factor = split.PlateScale / Estimates;
        var surrogate = (stl.Local * Tensor.FromArray(coefficient, shape)).Sum() * factor;
        if (stl.Global is not null) surrogate = surrogate + stl.Global.Mean();
        if (w.ModelTrace.Sites.Any(s => s.Kind == SiteKind.Param))
        {
            var (modelTrace, _) = DetachedDrawTraces(model, guide, w);
            var modelOnly = LogPOnly(w, modelTrace);
            var correction = new double[weights.Length];
            for (int i = 0; i < weights.Length; i++) correction[i] = weights[i] - coefficient[i];
            surrogate = surrogate + (modelOnly * Tensor.FromArray(correction, shape)).Sum() * factor;
        }
        return surrogate;
    }

    /// <summary>log p of a model trace arranged [S, K, B] like the log-weights (sites outside a local plate excluded: they hold no latents).</summary>
    private Tensor LogPOnly(ParticleLogWeights w, Trace modelTrace)
    {
        if (LocalPlate is null) return modelTrace.LogProbPerParticle(w.Particles, w.ParticleDim).Reshape(Estimates, ImportanceSamples, 1);
        var local = modelTrace.LogProbPerParticleAndPlate(w.Particles, w.ParticleDim, LocalPlate).Local;
        return local.Reshape(Estimates, ImportanceSamples, local.Dim(1));
    }

    /// <summary>
    /// Score-function terms Σ_site Σ stop(L)·log q_site with VIMCO's leave-one-out learning signal L_k = f − f(log w
    /// with log w_k replaced by the mean of the others) (Mnih and Rezende 2016), shared by the sites; for K = 1 the
    /// signal is log w minus the mean of the other estimates' (per entry of a local plate), or, with one estimate, minus
    /// a moving average of past log-weights kept per site (Ranganath et al. 2014; the objective's saved state).
    /// </summary>
    private Tensor ScoreTerms(Arranged a, IReadOnlyList<(string Site, Tensor LogQ)> sites)
    {
        if (sites.Count == 0) return Tensor.Scalar(0.0);
        var lw = a.Local.Span;
        int s = Estimates, k = ImportanceSamples, b = a.Local.Dim(2);
        double factor = a.PlateScale / s;
        if (k == 1 && s == 1)
        {
            double value = 0;
            for (int j = 0; j < b; j++) value += lw[j];
            Tensor? sum = null;
            foreach (var (site, logQ) in sites)
            {
                var term = logQ.Sum() * (_baselines.Centre(site, value) * factor);
                sum = sum is null ? term : sum + term;
            }
            return sum!;
        }
        var signal = new double[lw.Length];
        var column = new double[k];
        if (k > 1)
        {
            for (int e = 0; e < s; e++)
                for (int j = 0; j < b; j++)
                {
                    for (int i = 0; i < k; i++) column[i] = lw[(e * k + i) * b + j];
                    double f = BoundOf(column, Alpha);
                    double sum = 0;
                    foreach (double v in column) sum += v;
                    for (int i = 0; i < k; i++)
                    {
                        double saved = column[i];
                        column[i] = (sum - saved) / (k - 1);
                        signal[(e * k + i) * b + j] = f - BoundOf(column, Alpha);
                        column[i] = saved;
                    }
                }
        }
        else
        {
            // K = 1: each entry's signal is its log-weight minus the mean of the other estimates' (entries are independent).
            for (int j = 0; j < b; j++)
            {
                double total = 0;
                for (int e = 0; e < s; e++) total += lw[e * b + j];
                for (int e = 0; e < s; e++) signal[e * b + j] = lw[e * b + j] - (total - lw[e * b + j]) / (s - 1);
            }
        }
        var weights = Tensor.FromArray(signal, a.Local.ShapeArray);
        Tensor? result = null;
        foreach (var (_, logQ) in sites)
        {
            var term = (logQ * weights).Sum() * factor;
            result = result is null ? term : result + term;
        }
        return result!;
    }

    /// <summary>Each score-function guide site's log q, arranged [S, K, B] like the log-weights.</summary>
    private List<(string Site, Tensor LogQ)> ScoreSiteLogQ(ParticleLogWeights w, Trace guideTrace, bool onlyNonReparameterized)
    {
        var result = new List<(string, Tensor)>();
        foreach (var site in guideTrace.SampleSites)
        {
            if (site.IsObserved || (onlyNonReparameterized && site.Distribution!.HasRSample)) continue;
            bool Only(Site x) => ReferenceEquals(x, site);
            Tensor arranged;
            if (LocalPlate is null)
                arranged = guideTrace.LogProbPerParticle(w.Particles, w.ParticleDim, Only).Reshape(Estimates, ImportanceSamples, 1);
            else
            {
                var local = guideTrace.LogProbPerParticleAndPlate(w.Particles, w.ParticleDim, LocalPlate, Only).Local;
                arranged = local.Reshape(Estimates, ImportanceSamples, local.Dim(1));
            }
            result.Add((site.Name, arranged));
        }
        return result;
    }

    /// <summary>
    /// The bound estimated from about <paramref name="particles"/> draws (rounded up to whole estimates of K), without
    /// gradients and without touching the baselines.
    /// </summary>
    public double Estimate(Action model, Action guide, int maxPlateNesting, int particles, RandomStream random)
    {
        if (particles < 1) throw new ArgumentOutOfRangeException(nameof(particles), $"{Name}.Estimate: particles must be at least 1, got {particles}.");
        using var _ = GradMode.Disable();
        int estimates = (particles + ImportanceSamples - 1) / ImportanceSamples;
        var w = ParticleLogWeights.Compute(model, guide, estimates * ImportanceSamples, maxPlateNesting, random);
        return EstimateValue(Arrange(w, w.ModelTrace, w.GuideTrace, estimates), estimates);
    }

    /// <summary>The moving-average baselines of one-sample score-function evaluations, <c>{"baselines": {site: value}}</c>; null before any.</summary>
    public JsonNode? SaveState()
    {
        var baselines = _baselines.Save();
        if (_cuboSurrogate?.Shift is not double shift) return baselines;
        var state = baselines as JsonObject ?? new JsonObject();
        state["cubo_shift"] = shift;
        return state;
    }

    /// <summary>Replaces the baselines by those of <see cref="SaveState"/> (null clears them).</summary>
    public void LoadState(JsonNode? state)
    {
        var baselines = state;
        double? shift = null;
        if (state is JsonObject o && o.ContainsKey("cubo_shift"))
        {
            if (_cuboSurrogate is null) throw new FormatException($"{Name}.LoadState: the state has a cubo_shift, but this objective does not use the exponentiated surrogate.");
            shift = (double)o["cubo_shift"]!;
            baselines = o["baselines"] is JsonNode b ? new JsonObject { ["baselines"] = b.DeepClone() } : null;
        }
        _baselines.Load(baselines, Name);
        if (_cuboSurrogate is not null) _cuboSurrogate.Shift = shift;
    }

    /// <summary>The guide re-run on its own draws with every parameter detached (log q keeps only its dependence on z).</summary>
    private static Trace DetachedParameterGuideTrace(Action guide, ParticleLogWeights w)
    {
        var store = ParamStore.Current;
        var tracer = new TraceMessenger();
        using (new ReplayMessenger(w.GuideTrace, includeAuxiliary: true).Enter())
        using (new SubstituteMessenger(s => s.Kind == SiteKind.Param ? store.Get(s.Name).Detach() : null).Enter())
        using (tracer.Enter())
        using (Primitives.Plate(ParticleLogWeights.ParticlePlateName, w.Particles, dim: w.ParticleDim))
            guide();
        return tracer.Trace;
    }

    /// <summary>Guide and model re-run on the guide's draws cut from the graph (parameters live): for score-function gradients.</summary>
    private static (Trace Model, Trace Guide) DetachedDrawTraces(Action model, Action guide, ParticleLogWeights w)
    {
        var detached = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var s in w.GuideTrace.SampleSites)
            if (!s.IsObserved) detached[s.Name] = s.Value!.Detach();
        Trace Run(Action program)
        {
            var tracer = new TraceMessenger();
            // Substitute is entered outside Replay so it processes last and its detached values win.
            using (new SubstituteMessenger(detached).Enter())
            using (new ReplayMessenger(w.GuideTrace, includeAuxiliary: true).Enter())
            using (tracer.Enter())
            using (Primitives.Plate(ParticleLogWeights.ParticlePlateName, w.Particles, dim: w.ParticleDim))
                program();
            return tracer.Trace;
        }
        var guideTrace = Run(guide);
        var modelTrace = Run(model);
        return (modelTrace, guideTrace);
    }

    private void CheckNoGlobalLatents(ParticleLogWeights w)
    {
        foreach (var s in w.GuideTrace.SampleSites)
            if (!s.IsObserved && !s.Frames.Exists(f => f.Name == LocalPlate))
                throw new NotSupportedException(
                    $"{Name}: local importance sampling over plate '{LocalPlate}' needs every guide sample site inside that plate, but '{s.Name}' is outside it (a global latent).");
    }
}
