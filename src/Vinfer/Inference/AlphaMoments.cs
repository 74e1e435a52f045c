using System.Text.Json.Nodes;
using Vinfer.Distributions;
using Vinfer.Guides;
using Vinfer.Modeling;
using Vinfer.Objectives;
using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Inference;

/// <summary>
/// Monotonic alpha-divergence minimisation for a model's automatic Gaussian guide over its unconstrained latents
/// (Daudel, Douc &amp; Roueff, JMLR 2023; seed 003, eqs. 6–7; Bertholom, Douc &amp; Roueff, NeurIPS 2024): every
/// <see cref="Step"/> draws S points u_s from the guide q_k (one vectorized pass of guide and model, as for the ELBO),
/// weights them by (p(x, T(u_s))|det ∂T/∂u_s| / q_k(u_s))^{1−α}, self-normalized, and sets the guide's mean parameters
/// to the damped weighted moments (<see cref="AlphaMomentsGaussianUpdate"/>). It is not a gradient step: no learning
/// rate, no autodiff; computed exactly, each update cannot increase D_α(q‖p) for 0 ≤ α &lt; 1 (α as in
/// <see cref="AlphaMomentsWeights"/>: α → 1 is the ELBO's KL(q‖p), α → 0 moment-matches the posterior). With S draws
/// the update is a self-normalized importance-sampling estimate: consistent, with O(1/S) bias, and only as good as the
/// weights' effective sample size, which collapses when q is far from p in high dimension.
/// The guide is <see cref="AutoNormal"/> (diagonal family) or <see cref="AutoMultivariateNormal"/> (full covariance);
/// their parameters in <see cref="Store"/> are rewritten after every step, so the fitted guide is used, saved and
/// sampled as any other. It is an <see cref="IIterativeUpdate"/>: <see cref="FitLoop"/> runs it with the recovery
/// (a failed update goes back to the last good guide and halves the damping), checkpoints and Stan's convergence rule
/// on the Rényi bound that SVI gets.
/// </summary>
public sealed class AlphaMoments : IIterativeUpdate
{
    private readonly Action _model;
    private readonly AutoGuide _guide;
    private readonly bool _full;
    private double[] _mean;
    private double[] _spread; // variances (diagonal) or row-major covariance (full)

    /// <summary>
    /// The algorithm for <paramref name="model"/> with <paramref name="guide"/> (an <see cref="AutoNormal"/> or an
    /// <see cref="AutoMultivariateNormal"/> of this model) whose parameters live in <paramref name="store"/> (created
    /// there at the guide's initial values when absent).
    /// </summary>
    public AlphaMoments(Action model, AutoGuide guide, ParamStore store, double alpha, double damping, int samples)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        _guide = guide ?? throw new ArgumentNullException(nameof(guide));
        Store = store ?? throw new ArgumentNullException(nameof(store));
        AlphaMomentsWeights.ValidateAlpha(alpha, nameof(alpha));
        AlphaMomentsGaussianUpdate.ValidateDamping(damping, nameof(damping));
        if (samples < 2) throw new ArgumentOutOfRangeException(nameof(samples), samples, $"alpha-moments: samples must be at least 2, got {samples}.");
        _full = guide switch
        {
            AutoNormal => false,
            AutoMultivariateNormal => true,
            _ => throw new ArgumentException($"alpha-moments: the guide must be AutoNormal or AutoMultivariateNormal (Gaussian families), got {guide.Family}.", nameof(guide)),
        };
        Alpha = alpha;
        Damping = damping;
        InitialDamping = damping;
        Samples = samples;
        using (store.Use()) guide.InitializeParameters();
        (_mean, _spread) = ReadGuide();
    }

    /// <summary>α ∈ [0, 1).</summary>
    public double Alpha { get; }

    /// <summary>
    /// The damping γ ∈ (0, 1]: the fraction of the way the mean parameters move towards the estimate (lowered by
    /// <see cref="BackOff"/> after a failed update).
    /// </summary>
    public double Damping { get; private set; }

    /// <summary>The damping the algorithm was built with.</summary>
    public double InitialDamping { get; }

    /// <inheritdoc/>
    public string Name => "alpha-moments";

    /// <summary>What the last update saw (null before the first).</summary>
    public AlphaMomentsStepResult? LastStep { get; private set; }

    /// <inheritdoc/>
    public double StepSize => Damping;

    /// <summary>Draws per update S.</summary>
    public int Samples { get; }

    /// <summary>The guide's parameters.</summary>
    public ParamStore Store { get; }

    /// <summary>The guide's current mean over the flat unconstrained latent vector.</summary>
    public IReadOnlyList<double> Mean => _mean;

    /// <summary>The guide's current covariance, row-major [d, d] (diagonal for <see cref="AutoNormal"/>).</summary>
    public double[] Covariance()
    {
        if (_full) return (double[])_spread.Clone();
        int d = _mean.Length;
        var c = new double[d * d];
        for (int j = 0; j < d; j++) c[j * d + j] = _spread[j];
        return c;
    }

    /// <summary>
    /// One damped moment update from <see cref="Samples"/> fresh draws; the store holds the new guide after it.
    /// Throws <see cref="InvalidOperationException"/> when the update is not a valid Gaussian (every draw outside the
    /// target's support, or a covariance that is not positive definite) and leaves the guide as it was.
    /// </summary>
    public AlphaMomentsStepResult Update(RandomStream random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var (points, logP, logQ) = Draw(random, Samples, withPoints: true);
        double[] weights;
        try { weights = AlphaMomentsWeights.Importance(logP, logQ, Alpha); }
        catch (ArgumentException e) { throw new InvalidOperationException(e.Message, e); }
        var result = new AlphaMomentsStepResult(AlphaMomentsWeights.RenyiBound(logP, logQ, Alpha), AlphaMomentsWeights.EffectiveSampleSize(weights));
        LastStep = result;
        var (oldMean, oldSpread) = (_mean, _spread);
        (_mean, _spread) = _full
            ? AlphaMomentsGaussianUpdate.Full(_mean, _spread, points, weights, Damping)
            : AlphaMomentsGaussianUpdate.Diagonal(_mean, _spread, points, weights, Damping);
        try { WriteGuide(); }
        catch (InvalidOperationException)
        {
            (_mean, _spread) = (oldMean, oldSpread);
            WriteGuide();
            throw;
        }
        return result;
    }

    /// <summary>
    /// <see cref="Update"/> as <see cref="FitLoop"/> calls it: returns the Rényi bound estimate before the update, or
    /// NaN when the update failed (the loop then restores the last good guide and backs the damping off).
    /// </summary>
    public double Step(RandomStream random)
    {
        try { return Update(random).RenyiBound; }
        catch (InvalidOperationException) { return double.NaN; }
    }

    /// <inheritdoc/>
    public double EstimateObjective(int particles, RandomStream random)
    {
        if (particles < 1) throw new ArgumentOutOfRangeException(nameof(particles), $"alpha-moments: particles must be at least 1, got {particles}.");
        var (_, logP, logQ) = Draw(random, particles, withPoints: false);
        return AlphaMomentsWeights.RenyiBound(logP, logQ, Alpha);
    }

    /// <inheritdoc/>
    public object CaptureState() => (Mean: (double[])_mean.Clone(), Spread: (double[])_spread.Clone());

    /// <inheritdoc/>
    public void RestoreState(object snapshot)
    {
        var (mean, spread) = ((double[] Mean, double[] Spread))snapshot;
        _mean = (double[])mean.Clone();
        _spread = (double[])spread.Clone();
        WriteGuide();
    }

    /// <inheritdoc/>
    public void BackOff(double factor)
    {
        if (!(factor > 0 && factor < 1)) throw new ArgumentOutOfRangeException(nameof(factor), $"alpha-moments: the back-off factor must be in (0, 1), got {factor}.");
        Damping *= factor;
    }

    /// <inheritdoc/>
    public string DescribeFailure(int step, int restarts) => FormattableString.Invariant(
        $"alpha-moments: the update at step {step} gave no valid Gaussian and {restarts} restarts with smaller damping did not help (damping now {Damping:G3}); the importance weights may have degenerated: try more samples per update or check the model and its data.");

    /// <inheritdoc/>
    public JsonNode SaveState() => new JsonObject
    {
        ["family"] = _full ? "fullrank" : "meanfield",
        ["damping"] = Damping,
        ["mean"] = new JsonArray(_mean.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray()),
        ["spread"] = new JsonArray(_spread.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray()),
    };

    /// <inheritdoc/>
    public void LoadState(JsonNode state)
    {
        ArgumentNullException.ThrowIfNull(state);
        string family = (string?)state["family"] ?? "";
        if (family != (_full ? "fullrank" : "meanfield"))
            throw new FormatException($"alpha-moments: the saved state is for family '{family}', this update is {(_full ? "fullrank" : "meanfield")}.");
        var mean = state["mean"]!.AsArray().Select(v => (double)v!).ToArray();
        var spread = state["spread"]!.AsArray().Select(v => (double)v!).ToArray();
        if (mean.Length != _mean.Length || spread.Length != _spread.Length)
            throw new FormatException($"alpha-moments: the saved state has {mean.Length} coordinates, the guide {_mean.Length}.");
        Damping = (double)state["damping"]!;
        _mean = mean;
        _spread = spread;
        WriteGuide();
    }

    /// <summary>Draws from the guide with the model replayed: the flat unconstrained draws (when asked), log p and log q.</summary>
    private (double[] Points, double[] LogP, double[] LogQ) Draw(RandomStream random, int count, bool withPoints)
    {
        ArgumentNullException.ThrowIfNull(random);
        var points = withPoints ? new double[count * _mean.Length] : [];
        using (Store.Use())
        using (GradMode.Disable())
        using (new TensorScope())
        {
            var w = ParticleLogWeights.Compute(_model, _guide.Run, count, _guide.MaxPlateNesting, random);
            if (withPoints) CopyFlatDraws(w.GuideTrace, points, count);
            return (points, w.LogP.ToArray(), w.LogQ.ToArray());
        }
    }

    /// <summary>
    /// Sets the guide to the Gaussian with mean <paramref name="mean"/> and covariance <paramref name="covariance"/>
    /// (row-major [d, d]; only its diagonal is used by the diagonal family), for example an average of iterates.
    /// Throws <see cref="InvalidOperationException"/> and keeps the current guide when the covariance is not positive
    /// definite.
    /// </summary>
    public void SetGaussian(IReadOnlyList<double> mean, IReadOnlyList<double> covariance)
    {
        int d = _mean.Length;
        if (mean.Count != d || covariance.Count != d * d)
            throw new ArgumentException($"alpha-moments: expected a mean of {d} and a covariance of {d * d} entries, got {mean.Count} and {covariance.Count}.");
        var (oldMean, oldSpread) = (_mean, _spread);
        _mean = [.. mean];
        _spread = _full ? [.. covariance] : Enumerable.Range(0, d).Select(j => covariance[j * d + j]).ToArray();
        try { WriteGuide(); }
        catch (InvalidOperationException)
        {
            // Not a valid Gaussian (a covariance that is not positive definite): the guide stays as it was.
            (_mean, _spread) = (oldMean, oldSpread);
            WriteGuide();
            throw;
        }
    }

    /// <summary>Copies each draw's flat unconstrained latent vector (the guide's auxiliary sites) into rows of <paramref name="points"/>.</summary>
    private void CopyFlatDraws(Trace guideTrace, double[] points, int count)
    {
        int d = _mean.Length;
        if (_full)
        {
            var v = guideTrace[$"_{_guide.Prefix}_latent"].Value!.Span;
            if (v.Length != points.Length) throw new InvalidOperationException($"alpha-moments: the guide drew {v.Length} values for {count} draws of {d}.");
            v.CopyTo(points);
            return;
        }
        int offset = 0;
        foreach (var site in _guide.Latents)
        {
            int n = site.UnconstrainedCount;
            var v = guideTrace[site.IsUnconstrained ? site.Name : site.Name + "_unconstrained"].Value!.Span;
            if (v.Length != count * n) throw new InvalidOperationException($"alpha-moments: site '{site.Name}' drew {v.Length} values for {count} draws of {n}.");
            for (int s = 0; s < count; s++) v.Slice(s * n, n).CopyTo(points.AsSpan(s * d + offset, n));
            offset += n;
        }
    }

    private (double[] Mean, double[] Spread) ReadGuide()
    {
        using var _ = Store.Use();
        using var __ = GradMode.Disable();
        using var scope = new TensorScope();
        if (_full)
        {
            var guide = (AutoMultivariateNormal)_guide;
            var l = guide.ScaleTril();
            int d = guide.LatentDimension;
            return (Store.Get($"{guide.Prefix}.loc").ToArray(), l.MatMul(l.MT).ToArray());
        }
        var mean = new List<double>();
        var variance = new List<double>();
        foreach (var site in _guide.Latents)
        {
            mean.AddRange(Store.Get($"{_guide.Prefix}.loc.{site.Name}").ToArray());
            variance.AddRange(Store.Get($"{_guide.Prefix}.scale.{site.Name}").ToArray().Select(s => s * s));
        }
        return (mean.ToArray(), variance.ToArray());
    }

    private void WriteGuide()
    {
        int d = _mean.Length;
        using var _ = GradMode.Disable();
        if (_full)
        {
            string prefix = _guide.Prefix;
            double[] factor;
            using (new TensorScope())
            {
                try { factor = Tensor.Wrap((double[])_spread.Clone(), d, d).Cholesky().ToArray(); }
                catch (ArgumentException e)
                {
                    throw new InvalidOperationException($"alpha-moments: the updated covariance is not positive definite ({e.Message}); use damping < 1 or more samples.", e);
                }
            }
            var scale = new double[d];
            var unit = new double[d * d];
            for (int a = 0; a < d; a++)
            {
                scale[a] = factor[a * d + a];
                for (int b = 0; b < a; b++) unit[a * d + b] = factor[a * d + b] / scale[a];
            }
            Store.Add($"{prefix}.loc", Tensor.Wrap((double[])_mean.Clone(), d), Constraints.Real);
            Store.Add($"{prefix}.scale", Tensor.Wrap(scale, d), Constraints.Positive);
            Store.Add($"{prefix}.scale_tril", Tensor.Wrap(unit, d, d), Constraints.Real);
            return;
        }
        int offset = 0;
        foreach (var site in _guide.Latents)
        {
            int n = site.UnconstrainedCount;
            var shape = site.UnconstrainedShape.ToArray();
            Store.Add($"{_guide.Prefix}.loc.{site.Name}", Tensor.Wrap(_mean.AsSpan(offset, n).ToArray(), shape), Constraints.Real);
            Store.Add($"{_guide.Prefix}.scale.{site.Name}", Tensor.Wrap(_spread.AsSpan(offset, n).ToArray().Select(Math.Sqrt).ToArray(), shape), Constraints.Positive);
            offset += n;
        }
    }
}
