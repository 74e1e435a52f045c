using System.Globalization;

namespace Vinfer.Optim;

/// <summary>
/// A line search for the strong Wolfe conditions (Nocedal &amp; Wright, "Numerical Optimization", 2nd ed., 2006,
/// Algorithms 3.5 and 3.6): along a descent direction p from x, find α &gt; 0 with
/// sufficient decrease f(x + α p) ≤ f(x) + c₁ α ∇f(x)ᵀp and the curvature condition |∇f(x + α p)ᵀp| ≤ c₂ |∇f(x)ᵀp|.
/// The bracketing phase doubles α until the interval holds an acceptable step; the zoom phase shrinks it by safeguarded
/// cubic interpolation (exact for a quadratic along the line). A non-finite f is treated as a step that went too far.
/// With 0 &lt; c₁ &lt; c₂ &lt; 1 such a step exists for any f bounded below along the ray (N&amp;W Lemma 3.1).
/// </summary>
public sealed class StrongWolfeLineSearch
{
    /// <summary>A search with constants <paramref name="sufficientDecrease"/> (c₁) and <paramref name="curvature"/> (c₂).</summary>
    public StrongWolfeLineSearch(double sufficientDecrease = 1e-4, double curvature = 0.9, int maxEvaluations = 40, double maxStep = 1e10)
    {
        if (!(sufficientDecrease > 0 && sufficientDecrease < 1))
            throw new ArgumentOutOfRangeException(nameof(sufficientDecrease), $"StrongWolfeLineSearch: c1 must be in (0, 1), got {sufficientDecrease}.");
        if (!(curvature > sufficientDecrease && curvature < 1))
            throw new ArgumentOutOfRangeException(nameof(curvature), $"StrongWolfeLineSearch: c2 must be in (c1, 1) = ({sufficientDecrease}, 1), got {curvature}.");
        if (maxEvaluations < 2) throw new ArgumentOutOfRangeException(nameof(maxEvaluations), $"StrongWolfeLineSearch: maxEvaluations must be at least 2, got {maxEvaluations}.");
        if (!(maxStep > 0)) throw new ArgumentOutOfRangeException(nameof(maxStep), $"StrongWolfeLineSearch: maxStep must be positive, got {maxStep}.");
        SufficientDecrease = sufficientDecrease;
        Curvature = curvature;
        MaxEvaluations = maxEvaluations;
        MaxStep = maxStep;
    }

    /// <summary>c₁ of the sufficient-decrease (Armijo) condition.</summary>
    public double SufficientDecrease { get; }

    /// <summary>c₂ of the strong curvature condition (0.9 suits quasi-Newton directions; small values approach an exact search).</summary>
    public double Curvature { get; }

    /// <summary>The most function-and-gradient evaluations one search may make.</summary>
    public int MaxEvaluations { get; }

    /// <summary>The largest step tried.</summary>
    public double MaxStep { get; }

    /// <summary>
    /// Searches along <paramref name="direction"/> from <paramref name="x"/>, where f = <paramref name="value"/> and
    /// ∇f = <paramref name="gradient"/>, starting with the step <paramref name="initialStep"/>.
    /// </summary>
    /// <exception cref="LineSearchFailedException">p is not a descent direction, or no step met both conditions within
    /// <see cref="MaxEvaluations"/> evaluations (the message lists the last interval and values).</exception>
    public LineSearchResult Search(ValueAndGradient function, ReadOnlySpan<double> x, double value, ReadOnlySpan<double> gradient,
        ReadOnlySpan<double> direction, double initialStep = 1.0)
    {
        ArgumentNullException.ThrowIfNull(function);
        int n = x.Length;
        if (gradient.Length != n || direction.Length != n)
            throw new ArgumentException($"StrongWolfeLineSearch: x, gradient and direction must have the same length, got {n}, {gradient.Length}, {direction.Length}.");
        if (!double.IsFinite(value)) throw new ArgumentException($"StrongWolfeLineSearch: f(x) must be finite, got {value}.", nameof(value));
        if (!(initialStep > 0) || !double.IsFinite(initialStep))
            throw new ArgumentOutOfRangeException(nameof(initialStep), $"StrongWolfeLineSearch: the initial step must be positive and finite, got {initialStep}.");
        double slope0 = Dot(gradient, direction);
        if (!(slope0 < 0))
            throw new LineSearchFailedException(Invariant($"Strong-Wolfe line search: the direction is not a descent direction (∇f(x)ᵀp = {slope0:G6}, must be negative)."));

        var state = new SearchState(function, x.ToArray(), direction.ToArray(), value, slope0);
        double previousStep = 0, previousValue = value, previousSlope = slope0;
        double step = Math.Min(initialStep, MaxStep);
        while (true)
        {
            var (f, slope, g) = state.Evaluate(step, this);
            if (!double.IsFinite(f) || f > value + SufficientDecrease * step * slope0 || (state.Evaluations > 1 && f >= previousValue))
                return Zoom(state, previousStep, previousValue, previousSlope, step, f, slope);
            if (Math.Abs(slope) <= -Curvature * slope0) return new LineSearchResult(step, f, g, state.Evaluations);
            if (slope >= 0) return Zoom(state, step, f, slope, previousStep, previousValue, previousSlope);
            if (step >= MaxStep)
                throw new LineSearchFailedException(Invariant($"Strong-Wolfe line search: f kept decreasing up to the largest step {MaxStep:G3} (f = {f:G6}, slope {slope:G3}); the function looks unbounded below along the direction."));
            (previousStep, previousValue, previousSlope) = (step, f, slope);
            step = Math.Min(2 * step, MaxStep);
        }
    }

    /// <summary>N&amp;W Algorithm 3.6: lo satisfies sufficient decrease and has the lowest f so far; the interval holds an acceptable step.</summary>
    private LineSearchResult Zoom(SearchState state, double lo, double fLo, double slopeLo, double hi, double fHi, double slopeHi)
    {
        double value = state.Value0, slope0 = state.Slope0;
        while (true)
        {
            double width = Math.Abs(hi - lo);
            if (width <= 1e-16 * Math.Max(Math.Abs(lo), Math.Abs(hi)) || width == 0)
                throw new LineSearchFailedException(Invariant($"Strong-Wolfe line search: the bracketing interval [{Math.Min(lo, hi):G6}, {Math.Max(lo, hi):G6}] shrank to machine precision after {state.Evaluations} evaluations without a step meeting the curvature condition (f(0) = {value:G10}, f(lo) = {fLo:G10}, slope(0) = {slope0:G3}); the gradient may not match the function."));
            double step = Interpolate(lo, fLo, slopeLo, hi, fHi, slopeHi);
            var (f, slope, g) = state.Evaluate(step, this);
            if (!double.IsFinite(f) || f > value + SufficientDecrease * step * slope0 || f >= fLo)
            {
                (hi, fHi, slopeHi) = (step, f, slope);
                continue;
            }
            if (Math.Abs(slope) <= -Curvature * slope0) return new LineSearchResult(step, f, g, state.Evaluations);
            if (slope * (hi - lo) >= 0) (hi, fHi, slopeHi) = (lo, fLo, slopeLo);
            (lo, fLo, slopeLo) = (step, f, slope);
        }
    }

    /// <summary>
    /// The minimizer of the cubic through (lo, f, f′) and (hi, f, f′) (N&amp;W eq. 3.59), or of the quadratic through
    /// (lo, f, f′) and (hi, f) when f′(hi) is unknown; kept at least 10 % of the interval away from its ends (bisection otherwise).
    /// </summary>
    private static double Interpolate(double lo, double fLo, double slopeLo, double hi, double fHi, double slopeHi)
    {
        double a = Math.Min(lo, hi), b = Math.Max(lo, hi), w = b - a;
        double candidate = double.NaN;
        if (double.IsFinite(fHi) && double.IsFinite(slopeHi))
        {
            double d1 = slopeLo + slopeHi - 3 * (fLo - fHi) / (lo - hi);
            double disc = d1 * d1 - slopeLo * slopeHi;
            if (disc >= 0)
            {
                double d2 = Math.Sign(hi - lo) * Math.Sqrt(disc);
                double denominator = slopeHi - slopeLo + 2 * d2;
                if (denominator != 0) candidate = hi - (hi - lo) * (slopeHi + d2 - d1) / denominator;
            }
        }
        else if (double.IsFinite(fHi))
        {
            double delta = hi - lo;
            double curvature = fHi - fLo - slopeLo * delta;
            if (curvature > 0) candidate = lo - slopeLo * delta * delta / (2 * curvature);
        }
        if (!double.IsFinite(candidate) || candidate < a + 0.1 * w || candidate > b - 0.1 * w)
            candidate = double.IsFinite(fHi) || w < 1e-300 ? a + 0.5 * w : lo + 0.5 * (hi - lo);
        return candidate;
    }

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private sealed class SearchState(ValueAndGradient function, double[] x, double[] direction, double value0, double slope0)
    {
        private readonly double[] _point = new double[x.Length];

        public double Value0 { get; } = value0;

        public double Slope0 { get; } = slope0;

        public int Evaluations { get; private set; }

        public (double Value, double Slope, double[] Gradient) Evaluate(double step, StrongWolfeLineSearch search)
        {
            if (Evaluations >= search.MaxEvaluations)
                throw new LineSearchFailedException(Invariant($"Strong-Wolfe line search: no step met sufficient decrease (c1 = {search.SufficientDecrease}) and curvature (c2 = {search.Curvature}) within {search.MaxEvaluations} evaluations (last step tried {step:G6}, f(0) = {Value0:G10}, slope(0) = {Slope0:G3})."));
            Evaluations++;
            for (int i = 0; i < x.Length; i++) _point[i] = x[i] + step * direction[i];
            var gradient = new double[x.Length];
            double f = function(_point, gradient);
            double slope = Dot(gradient, direction);
            if (!double.IsFinite(slope)) f = double.NaN;
            return (double.IsFinite(f) ? f : double.NaN, slope, gradient);
        }
    }
}
