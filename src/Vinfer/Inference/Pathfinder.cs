using System.Diagnostics;
using System.Globalization;
using Vinfer.Diagnostics;
using Vinfer.Guides;
using Vinfer.Modeling;
using Vinfer.Optim;
using Vinfer.Random;

namespace Vinfer.Inference;

/// <summary>
/// Pathfinder (Zhang, Carpenter, Gelman &amp; Vehtari, "Pathfinder: Parallel quasi-Newton variational inference", JMLR
/// 2022): maximize log p with L-BFGS (<see cref="Lbfgs"/>, strong-Wolfe line search) from a random start; at every
/// iterate form the normal approximation from the L-BFGS inverse-Hessian estimate (<see cref="PathfinderNormal"/>,
/// Algorithms 3–4, diagonal from Gilbert &amp; Lemaréchal's update), estimate its ELBO from K draws and keep the
/// approximation with the highest ELBO (Algorithm 1). Multi-path Pathfinder (Algorithm 2) runs several paths from
/// independent starts, draws M from each chosen approximation and resamples them by Pareto-smoothed importance weights
/// p/q_path (Vehtari et al. 2024), which also gives a k̂ for the whole. Paths run one after another (the machine's cores
/// are shared); each is deterministic for the seed.
/// </summary>
public static class Pathfinder
{
    /// <summary>Gives up a pair whose curvature sᵀy is below this times ‖y‖² (the paper's ε).</summary>
    public const double CurvatureThreshold = 1e-12;

    /// <summary>
    /// Runs multi-path Pathfinder on <paramref name="model"/>: the paths, their pooled draws (constrained, with
    /// log p and log q_path) and the PSIS-resampled draws.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range (named with its value).</exception>
    /// <exception cref="InvalidOperationException">Every path failed (the message says what each tried and why).</exception>
    public static PathfinderResult Run(Action model, PathfinderOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        CheckOptions(options);
        var clock = Stopwatch.StartNew();
        var density = new FlatLogDensity(model);
        if (options.Inits is { } inits && (inits.Count != options.Paths || inits.Any(x => x is null || x.Length != density.Dimension)))
            throw new ArgumentException($"Pathfinder: Inits must hold {options.Paths} points of length {density.Dimension}.", nameof(options));
        var root = new RandomKey(options.Seed).Fold(StreamTags.Pathfinder);
        var paths = new List<PathfinderPath>();
        for (int p = 0; p < options.Paths; p++) paths.Add(SinglePath(density, p, options, root.Child(p)));
        var good = paths.Where(p => p.Succeeded).ToList();
        if (good.Count == 0)
            throw new InvalidOperationException($"Pathfinder: every one of the {options.Paths} path(s) failed: " +
                string.Join("; ", paths.Select(p => $"path {p.Index + 1}: {p.Failure}")));

        // M draws from each chosen approximation, through a full-rank guide at it: the model's own sites, constrained
        // values and log p, log q per draw, as any fit's draws.
        var prototype = density.Prototype;
        var pooled = new List<PosteriorDraws>();
        AutoMultivariateNormal? bestGuide = null;
        ParamStore? bestStore = null;
        var best = good.MaxBy(p => p.BestElbo)!;
        foreach (var path in good)
        {
            var guide = GuideAt(model, path.Approximation!);
            var store = new ParamStore();
            var draws = PosteriorSampler.Draw(model, guide.Run, prototype, store, options.DrawsPerPath, new RandomStream(root.Child(path.Index).Fold(StreamTags.PosteriorDraws)));
            pooled.Add(draws);
            if (ReferenceEquals(path, best)) (bestGuide, bestStore) = (guide, store);
        }
        var proposals = Concatenate(pooled);
        var ratios = proposals.LogRatios();
        for (int i = 0; i < ratios.Length; i++) if (double.IsNaN(ratios[i])) ratios[i] = double.NegativeInfinity;
        var psis = ParetoSmoothedImportanceSampling.Smooth(ratios);
        var resampled = Resample(proposals, psis.NormalizedLogWeights(), options.Draws, new RandomStream(root.Fold(StreamTags.PosteriorDraws)));
        return new PathfinderResult(paths, proposals, resampled, psis.KHat, bestGuide!, bestStore!, density.GradientEvaluations,
            density.ValueEvaluations + (long)options.DrawsPerPath * good.Count, clock.Elapsed.TotalSeconds);
    }

    /// <summary>A full-rank guide whose starting point is exactly <paramref name="normal"/> (preconditioned by its mean and Cholesky factor).</summary>
    public static AutoMultivariateNormal GuideAt(Action model, PathfinderNormal normal)
    {
        ArgumentNullException.ThrowIfNull(normal);
        return new AutoMultivariateNormal(model, new GaussianPreconditioner(normal.Mean, normal.CholeskyFactor()), initScale: 1.0, prefix: "Pathfinder");
    }

    /// <summary>Single-path Pathfinder (Algorithm 1) from a start drawn with <paramref name="key"/> (or options.Inits[index]).</summary>
    public static PathfinderPath SinglePath(FlatLogDensity density, int index, PathfinderOptions options, RandomKey key)
    {
        ArgumentNullException.ThrowIfNull(density);
        ArgumentNullException.ThrowIfNull(options);
        CheckOptions(options);
        int d = density.Dimension;
        var gradient = new double[d];
        double[]? start = null;
        int attempts = 0;
        if (options.Inits is { } inits)
        {
            start = (double[])inits[index].Clone();
            attempts = 1;
            if (!double.IsFinite(density.ValueAndGradient(start, gradient)))
                return Failed(index, start, attempts, "the log density or its gradient is not finite at the given initial point");
        }
        else
        {
            var candidate = new double[d];
            while (attempts < options.InitAttempts)
            {
                Sample.Uniform(key.Fold(StreamTags.ParticleInit).Child(attempts), -options.InitRadius, options.InitRadius, candidate);
                attempts++;
                if (double.IsFinite(density.ValueAndGradient(candidate, gradient))) { start = candidate; break; }
            }
            if (start is null)
                return Failed(index, candidate, attempts, string.Create(CultureInfo.InvariantCulture,
                    $"the log density or its gradient was not finite at any of the {attempts} initial points tried (uniform(-{options.InitRadius}, {options.InitRadius}) on each of the {d} unconstrained coordinates)"));
        }

        var iterates = new List<LbfgsIterate>();
        double Objective(ReadOnlySpan<double> x, Span<double> g)
        {
            double v = density.ValueAndGradient(x, g);
            for (int i = 0; i < g.Length; i++) g[i] = -g[i];
            return -v;
        }
        LbfgsStop? stop = null;
        string? failure = null;
        try
        {
            stop = Lbfgs.Minimize(Objective, start, options.Lbfgs, iterates.Add).Stop;
        }
        catch (LineSearchFailedException e)
        {
            failure = iterates.Count > 1 ? $"L-BFGS stopped early, after {iterates.Count - 1} iterations: {e.Message}" : e.Message;
            if (iterates.Count <= 1) return Failed(index, start, attempts, e.Message);
        }

        // Along the path: pairs and the diagonal estimate, an approximation and its ELBO at each iterate.
        var elboDraws = new double[options.ElboDraws * d];
        Sample.Normal(key.Fold(StreamTags.ConvergenceCheck), elboDraws);
        var alpha = Enumerable.Repeat(1.0, d).ToArray();
        var pairs = new List<(double[] S, double[] Y)>();
        var elbos = new List<double>();
        PathfinderNormal? best = null;
        int bestIterate = 0;
        double bestElbo = double.NegativeInfinity;
        var draws = new double[options.ElboDraws * d];
        var logP = new double[options.ElboDraws];
        var logQ = new double[options.ElboDraws];
        for (int l = 1; l < iterates.Count; l++)
        {
            var (previous, current) = (iterates[l - 1], iterates[l]);
            var s = new double[d];
            var y = new double[d];
            double sy = 0, yy = 0;
            for (int i = 0; i < d; i++)
            {
                s[i] = current.X[i] - previous.X[i];
                y[i] = current.Gradient[i] - previous.Gradient[i]; // gradients of −log p
                sy += s[i] * y[i];
                yy += y[i] * y[i];
            }
            if (sy > CurvatureThreshold * yy)
            {
                UpdateDiagonal(alpha, s, y);
                pairs.Add((s, y));
                if (pairs.Count > options.Lbfgs.History) pairs.RemoveAt(0);
            }
            double elbo = double.NegativeInfinity;
            if (pairs.Count > 0)
            {
                var logPGradient = current.Gradient.Select(v => -v).ToArray();
                var normal = PathfinderNormal.Create(current.X, logPGradient, alpha, pairs);
                if (normal is not null)
                {
                    // the K draws scored in one vectorized pass of the model (as the ADVI step scores its particles)
                    for (int k = 0; k < options.ElboDraws; k++)
                        logQ[k] = normal.Draw(elboDraws.AsSpan(k * d, d), draws.AsSpan(k * d, d));
                    density.Values(draws, logP);
                    double sum = 0;
                    for (int k = 0; k < options.ElboDraws; k++) sum += logP[k] - logQ[k];
                    elbo = sum / options.ElboDraws;
                    if (double.IsNaN(elbo)) elbo = double.NegativeInfinity;
                    if (elbo > bestElbo) (bestElbo, best, bestIterate) = (elbo, normal, l);
                }
            }
            elbos.Add(elbo);
        }
        if (best is null)
            return new PathfinderPath(index, start, attempts, elbos, 0, null, iterates.Count - 1, stop,
                failure ?? $"no iterate of the {iterates.Count - 1} L-BFGS iterations gave an approximation with a finite ELBO");
        return new PathfinderPath(index, start, attempts, elbos, bestIterate, best, iterates.Count - 1, stop, failure);
    }

    /// <summary>
    /// Gilbert &amp; Lemaréchal's diagonal update of the inverse Hessian (Math. Programming 45, 1989, eq. 4.9; Pathfinder's
    /// Algorithm 3): α ← b / (a/α + y² − (a/c)(s/α)²), a = yᵀdiag(α)y, b = yᵀs, c = sᵀdiag(α)⁻¹s; kept when positive.
    /// </summary>
    private static void UpdateDiagonal(double[] alpha, double[] s, double[] y)
    {
        double a = 0, b = 0, c = 0;
        for (int i = 0; i < alpha.Length; i++)
        {
            a += y[i] * alpha[i] * y[i];
            b += y[i] * s[i];
            c += s[i] * s[i] / alpha[i];
        }
        var next = new double[alpha.Length];
        for (int i = 0; i < alpha.Length; i++)
        {
            double ratio = s[i] / alpha[i];
            next[i] = b / (a / alpha[i] + y[i] * y[i] - a / c * ratio * ratio);
            if (!(next[i] > 0) || !double.IsFinite(next[i])) return;
        }
        next.CopyTo(alpha, 0);
    }

    private static PathfinderPath Failed(int index, double[] start, int attempts, string why) =>
        new(index, start, attempts, [], 0, null, 0, null, why);

    private static void CheckOptions(PathfinderOptions options)
    {
        if (options.Paths < 1) throw new ArgumentOutOfRangeException(nameof(options), $"Pathfinder: paths must be at least 1, got {options.Paths}.");
        if (options.ElboDraws < 1) throw new ArgumentOutOfRangeException(nameof(options), $"Pathfinder: ElboDraws must be at least 1, got {options.ElboDraws}.");
        if (options.DrawsPerPath < 10) throw new ArgumentOutOfRangeException(nameof(options), $"Pathfinder: DrawsPerPath must be at least 10 (PSIS needs them), got {options.DrawsPerPath}.");
        if (options.Draws < 1) throw new ArgumentOutOfRangeException(nameof(options), $"Pathfinder: draws must be at least 1, got {options.Draws}.");
        if (!(options.InitRadius > 0)) throw new ArgumentOutOfRangeException(nameof(options), $"Pathfinder: InitRadius must be positive, got {options.InitRadius}.");
        if (options.InitAttempts < 1) throw new ArgumentOutOfRangeException(nameof(options), $"Pathfinder: InitAttempts must be at least 1, got {options.InitAttempts}.");
        ArgumentNullException.ThrowIfNull(options.Lbfgs, nameof(options.Lbfgs));
    }

    private static PosteriorDraws Concatenate(IReadOnlyList<PosteriorDraws> parts)
    {
        if (parts.Count == 1) return parts[0];
        return new PosteriorDraws(parts[0].Names, parts.SelectMany(p => p.Values).ToArray(), parts.SelectMany(p => p.LogP).ToArray(), parts.SelectMany(p => p.LogQ).ToArray());
    }

    /// <summary>Multinomial resampling of <paramref name="count"/> rows with probabilities exp(<paramref name="logWeights"/>) (normalized).</summary>
    private static PosteriorDraws Resample(PosteriorDraws proposals, double[] logWeights, int count, RandomStream random)
    {
        int width = proposals.Names.Length, n = proposals.Count;
        var cumulative = new double[n];
        double total = 0;
        for (int i = 0; i < n; i++) { total += Math.Exp(logWeights[i]); cumulative[i] = total; }
        var uniform = new double[count];
        Sample.Uniform(random.NextKey(), uniform);
        var values = new double[count * width];
        var logP = new double[count];
        var logQ = new double[count];
        for (int c = 0; c < count; c++)
        {
            int row = Array.BinarySearch(cumulative, uniform[c] * total);
            row = row < 0 ? ~row : row;
            row = Math.Min(row, n - 1);
            Array.Copy(proposals.Values, row * width, values, c * width, width);
            logP[c] = proposals.LogP[row];
            logQ[c] = proposals.LogQ[row];
        }
        return new PosteriorDraws(proposals.Names, values, logP, logQ);
    }
}
