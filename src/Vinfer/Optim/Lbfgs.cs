using System.Globalization;

namespace Vinfer.Optim;

/// <summary>
/// Limited-memory BFGS (Liu &amp; Nocedal, "On the limited memory BFGS method for large scale optimization",
/// Math. Programming 45, 1989; Nocedal &amp; Wright 2006, Algorithms 7.4–7.5): the search direction is −H∇f with H the
/// inverse-Hessian estimate from the last <see cref="LbfgsOptions.History"/> (s, y) pairs by the two-loop recursion,
/// starting from H₀ = (sᵀy / yᵀy) I; each step is chosen by the strong-Wolfe line search, which guarantees sᵀy &gt; 0 and so
/// a positive-definite H. Minimizes any f given as value-and-gradient on double[] (<see cref="ValueAndGradient"/>);
/// Pathfinder records its path through <c>observer</c>.
/// </summary>
public static class Lbfgs
{
    /// <summary>
    /// Minimizes <paramref name="function"/> from <paramref name="start"/>. <paramref name="observer"/> sees the start
    /// (iteration 0) and every accepted point.
    /// </summary>
    /// <exception cref="ArgumentException">f or its gradient is not finite at the start.</exception>
    /// <exception cref="LineSearchFailedException">A line search failed (the message says at which iteration and why).</exception>
    public static LbfgsResult Minimize(ValueAndGradient function, ReadOnlySpan<double> start, LbfgsOptions? options = null, Action<LbfgsIterate>? observer = null)
    {
        ArgumentNullException.ThrowIfNull(function);
        options ??= new LbfgsOptions();
        if (options.History < 1) throw new ArgumentOutOfRangeException(nameof(options), $"Lbfgs: History must be at least 1, got {options.History}.");
        if (options.MaxIterations < 1) throw new ArgumentOutOfRangeException(nameof(options), $"Lbfgs: MaxIterations must be at least 1, got {options.MaxIterations}.");
        int n = start.Length;
        if (n == 0) throw new ArgumentException("Lbfgs: the start point is empty.", nameof(start));
        var x = start.ToArray();
        var g = new double[n];
        double f = function(x, g);
        int evaluations = 1;
        if (!double.IsFinite(f)) throw new ArgumentException($"Lbfgs: f is not finite at the start point (f = {f}).", nameof(start));
        for (int i = 0; i < n; i++)
            if (!double.IsFinite(g[i])) throw new ArgumentException($"Lbfgs: gradient entry {i} is not finite at the start point ({g[i]}).", nameof(start));
        observer?.Invoke(new LbfgsIterate(0, (double[])x.Clone(), f, (double[])g.Clone()));

        var history = new List<(double[] S, double[] Y, double Rho)>(options.History);
        var direction = new double[n];
        var alpha = new double[options.History];
        for (int iteration = 1; ; iteration++)
        {
            if (MaxAbs(g) <= options.GradientTolerance) return new LbfgsResult(x, f, g, iteration - 1, evaluations, LbfgsStop.Gradient);
            if (iteration > options.MaxIterations) return new LbfgsResult(x, f, g, iteration - 1, evaluations, LbfgsStop.MaxIterations);
            TwoLoop(g, history, direction, alpha);
            // without curvature information yet, a first step of length 1 in x (Stan and Nocedal & Wright §7.2 scale it so)
            double initial = history.Count == 0 ? Math.Min(1.0, 1.0 / Norm(g)) : 1.0;
            LineSearchResult step;
            try
            {
                step = options.LineSearch.Search(function, x, f, g, direction, initial);
            }
            catch (LineSearchFailedException e)
            {
                throw new LineSearchFailedException(string.Create(CultureInfo.InvariantCulture,
                    $"L-BFGS iteration {iteration} (f = {f:G10}, largest gradient entry {MaxAbs(g):G3}): {e.Message}"), e);
            }
            evaluations += step.Evaluations;
            var s = new double[n];
            var y = new double[n];
            for (int i = 0; i < n; i++)
            {
                s[i] = step.Step * direction[i];
                y[i] = step.Gradient[i] - g[i];
            }
            double sy = Dot(s, y);
            if (sy > 1e-12 * Dot(y, y))
            {
                if (history.Count == options.History) history.RemoveAt(0);
                history.Add((s, y, 1 / sy));
            }
            double fOld = f;
            for (int i = 0; i < n; i++) x[i] += s[i];
            f = step.Value;
            g = step.Gradient;
            observer?.Invoke(new LbfgsIterate(iteration, (double[])x.Clone(), f, (double[])g.Clone()));
            if (Math.Abs(fOld - f) <= options.RelativeTolerance * Math.Max(Math.Max(Math.Abs(fOld), Math.Abs(f)), 1.0))
                return new LbfgsResult(x, f, g, iteration, evaluations, LbfgsStop.RelativeDecrease);
            if (MaxAbs(s) <= options.StepTolerance) return new LbfgsResult(x, f, g, iteration, evaluations, LbfgsStop.Step);
        }
    }

    /// <summary>direction = −H g by the two-loop recursion (Nocedal &amp; Wright Algorithm 7.4).</summary>
    private static void TwoLoop(double[] g, List<(double[] S, double[] Y, double Rho)> history, double[] direction, double[] alpha)
    {
        int n = g.Length;
        for (int i = 0; i < n; i++) direction[i] = -g[i];
        for (int k = history.Count - 1; k >= 0; k--)
        {
            var (s, y, rho) = history[k];
            alpha[k] = rho * Dot(s, direction);
            for (int i = 0; i < n; i++) direction[i] -= alpha[k] * y[i];
        }
        if (history.Count > 0)
        {
            var (s, y, _) = history[^1];
            double gamma = Dot(s, y) / Dot(y, y);
            for (int i = 0; i < n; i++) direction[i] *= gamma;
        }
        for (int k = 0; k < history.Count; k++)
        {
            var (s, y, rho) = history[k];
            double beta = rho * Dot(y, direction);
            for (int i = 0; i < n; i++) direction[i] += (alpha[k] - beta) * s[i];
        }
    }

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }

    private static double Norm(ReadOnlySpan<double> a) => Math.Sqrt(Dot(a, a));

    private static double MaxAbs(ReadOnlySpan<double> a)
    {
        double m = 0;
        foreach (double v in a) m = Math.Max(m, Math.Abs(v));
        return m;
    }
}
