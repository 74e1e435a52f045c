using Vinfer.Distributions;
using Vinfer.Guides;
using Vinfer.Modeling;
using Vinfer.Optim;
using Vinfer.Tensors;

namespace Vinfer.Inference;

/// <summary>
/// The natural-gradient step of the full-rank Gaussian guide (<see cref="AutoMultivariateNormal"/>,
/// q = N(m, C Cᵀ), C lower triangular), taken in the coordinates of the current q: the next q is m' = m + C v and
/// C' = C M(A), with M(A) the strictly lower part of A plus exp(A_ii) on its diagonal, and the step from v = 0, A = 0 is
/// v = −ρ Cᵀ∇ₘ and A = −ρ Φ(tril(Cᵀ∇_C)), Φ halving the diagonal: to first order m' = m − ρ Σ ∇ₘ and
/// C' = C − ρ C Φ(tril(Cᵀ∇_C)), the natural gradient of the Gaussian with the Fisher metric Σ⁻¹ for m and, for the
/// Cholesky factor, Σ_{i&gt;j} A_ij² + 2 Σ A_ii² in C(I + A) (Tan, "Analytic natural gradient updates for Cholesky
/// factor in Gaussian variational approximation", 2021; Amari, "Natural gradient works efficiently in learning", 1998;
/// the exponential keeps the diagonal positive). The step is invariant to any lower-triangular affine change of the
/// unconstrained space: a direction of tiny curvature is stepped in units of q's own standard deviation along it, where
/// Adam on the raw parameters steps it in units of the coordinate (Pathfinder's whitening helps only as far as its
/// normal is right). On the 26-dimensional, strongly collinear diamonds regression, Adam in Pathfinder's coordinates
/// needs about 2,500 steps to bring every mean within 0.05 sd and Stan's rule stops it at 0.2 sd; these steps are within
/// 0.035 sd when the rule stops (docs/posteriordb-accuracy.md). Unlike Adam the step is not normalized per coordinate,
/// so near the optimum its noise shrinks with the gradient's (to zero for a Gaussian posterior with the
/// sticking-the-landing estimator); each step is clipped to a trust region (<see cref="MaximumLocationStep"/>,
/// <see cref="MaximumFactorStep"/>) for the far-from-optimum case. Because the step is not normalized, one heavy-tailed
/// gradient draw moves the fit by all of it: on eight schools (a funnel in τ) a single particle in the funnel's neck
/// gave steps up to 120 times the median one, which moved log τ's mean by 0.7 within 100 steps and left the reported τ mean 0.2 sd
/// below the family's optimum after the averaging phase (docs/stan-comparison.md). So the natural gradient of the mean
/// and that of the factor (the steps over ρ) are each also limited to <see cref="OutlierFactor"/> times the median of
/// their last <see cref="OutlierWindow"/> norms (<see cref="MedianNormLimit"/>): rarely binding when the gradient is
/// light tailed (on diamonds it does not change a reported digit), it removes the outliers' jumps. ρ is the optimizer's (scheduled)
/// learning rate; any other parameter in the store takes Adam's step. The cost is O(D³) per step, so it applies up to
/// <see cref="MaximumDimension"/> coordinates.
/// </summary>
public sealed class GaussianNaturalGradient : Adam
{
    /// <summary>The largest dimension for which the natural-gradient step is taken (above it, plain Adam).</summary>
    public const int MaximumDimension = 256;

    private readonly string _locName;
    private readonly string _scaleName;
    private readonly string _trilName;
    private readonly Bijector _scaleBijector;
    private readonly int _dimension;
    // work buffers, reused by every step
    private readonly double[] _s, _ds, _dv, _c, _gc, _da, _next;
    // the recent natural-gradient norms of the mean and of the factor (replaced, not mutated, on loading a state)
    private MedianNormLimit _locLimit = new(OutlierFactor, OutlierWindow), _factorLimit = new(OutlierFactor, OutlierWindow);

    /// <summary>Natural-gradient steps of rate <paramref name="learningRate"/> for the parameters of <paramref name="guide"/> (Adam for any other parameter).</summary>
    public GaussianNaturalGradient(double learningRate, AutoMultivariateNormal guide) : base(learningRate)
    {
        ArgumentNullException.ThrowIfNull(guide);
        if (!Applies(guide))
            throw new ArgumentException($"GaussianNaturalGradient: the guide has {guide.LatentDimension} coordinates; at most {MaximumDimension} are supported.", nameof(guide));
        _locName = $"{guide.Prefix}.loc";
        _scaleName = $"{guide.Prefix}.scale";
        _trilName = $"{guide.Prefix}.scale_tril";
        _scaleBijector = ConstraintCodec.UnconstrainingBijector(Constraints.Positive)
            ?? throw new InvalidOperationException("GaussianNaturalGradient: the positive constraint has no unconstraining bijector.");
        _dimension = guide.LatentDimension;
        int d = _dimension;
        (_s, _ds, _dv) = (new double[d], new double[d], new double[d]);
        (_c, _gc, _da, _next) = (new double[d * d], new double[d * d], new double[d * d], new double[d * d]);
    }

    /// <summary>True when <paramref name="guide"/> is small enough for the O(D³) step.</summary>
    public static bool Applies(AutoMultivariateNormal guide) => guide is not null && guide.LatentDimension <= MaximumDimension;

    /// <summary>The optimizer a full-rank fit uses: this one for a full-rank guide it applies to, else plain Adam.</summary>
    public static Adam For(AutoGuide guide, double learningRate) =>
        guide is AutoMultivariateNormal full && Applies(full) ? new GaussianNaturalGradient(learningRate, full) : new Adam(learningRate);

    /// <inheritdoc/>
    public override void Step(IEnumerable<KeyValuePair<string, Tensor>> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var list = parameters as IReadOnlyList<KeyValuePair<string, Tensor>> ?? parameters.ToList();
        Tensor? loc = null, scale = null, tril = null;
        foreach (var (name, p) in list)
        {
            if (name == _locName) loc = p;
            else if (name == _scaleName) scale = p;
            else if (name == _trilName) tril = p;
        }
        int d = _dimension;
        if (loc?.Grad is null || scale?.Grad is null || tril?.Grad is null || loc.Count != d || scale.Count != d || tril.Count != d * d)
        {
            base.Step(list);
            return;
        }
        var m = loc.Span;
        var trilRaw = tril.Span;
        ScaleAndDerivative(scale.Span, _s, _ds);
        var s = _s;
        // C = diag(s) U, U unit lower triangular from the strictly lower part of the raw factor
        var c = _c;
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j < i; j++) c[i * d + j] = s[i] * trilRaw[i * d + j];
            c[i * d + i] = s[i];
        }
        // the loss gradient with respect to C, from those with respect to the raw factor and the unconstrained scale
        var gTril = tril.Grad.Span;
        var gScale = scale.Grad.Span;
        var gc = _gc;
        for (int i = 0; i < d; i++)
        {
            double diagonal = gScale[i] / _ds[i];
            for (int j = 0; j < i; j++)
            {
                gc[i * d + j] = gTril[i * d + j] / s[i];
                diagonal -= gc[i * d + j] * trilRaw[i * d + j];
            }
            gc[i * d + i] = diagonal;
        }
        // the rate the base step will use (it also advances the schedule's step count)
        double rate = Schedule is null ? LearningRate : Schedule.Rate(StepCount) * RateScale;
        // the natural-gradient step in q's coordinates: v = −ρ Cᵀ∇ₘ, A = −ρ Φ(tril(Cᵀ∇_C)), each clipped to its trust region
        var gLoc = loc.Grad.Span;
        var dv = _dv;
        for (int j = 0; j < d; j++)
        {
            double sum = 0;
            for (int i = j; i < d; i++) sum += c[i * d + j] * gLoc[i];
            dv[j] = -rate * sum;
        }
        var da = _da;
        for (int k = 0; k < d; k++)
            for (int l = 0; l <= k; l++)
            {
                double sum = 0;
                for (int i = k; i < d; i++) sum += c[i * d + k] * gc[i * d + l];
                da[k * d + l] = -rate * (k == l ? 0.5 * sum : sum);
            }
        // heavy-tailed draws: the natural gradients (the steps over ρ) limited to a multiple of their recent median norm
        LimitOutlier(dv, rate, _locLimit);
        LimitOutlier(da, rate, _factorLimit);
        Clip(dv, MaximumLocationStep);
        Clip(da, MaximumFactorStep);
        // any other parameter takes Adam's step
        if (list.Count > 3) base.Step(list.Where(p => p.Key != _locName && p.Key != _scaleName && p.Key != _trilName));
        else base.Step([]);
        // m' = m + C v
        for (int i = d - 1; i >= 0; i--)
        {
            double sum = m[i];
            for (int j = 0; j <= i; j++) sum += c[i * d + j] * dv[j];
            m[i] = sum;
        }
        // C' = C M(A): M's diagonal exp(A_ii), its strictly lower part A's
        var next = _next;
        for (int i = 0; i < d; i++)
            for (int j = 0; j <= i; j++)
            {
                double sum = c[i * d + j] * Math.Exp(da[j * d + j]);
                for (int k = j + 1; k <= i; k++) sum += c[i * d + k] * da[k * d + j];
                next[i * d + j] = sum;
            }
        // back to the guide's parameters: scale = diag(C'), the raw factor's strictly lower part = rows of C' over it
        for (int i = 0; i < d; i++)
        {
            s[i] = next[i * d + i];
            for (int j = 0; j < i; j++) trilRaw[i * d + j] = next[i * d + j] / s[i];
        }
        Unconstrain(s, scale.Span);
    }

    /// <summary>The longest step of the mean, in q's standard deviations (Euclidean norm of v).</summary>
    public const double MaximumLocationStep = 1.0;

    /// <summary>The largest change of the Cholesky factor per step (Frobenius norm of A).</summary>
    public const double MaximumFactorStep = 0.25;

    /// <summary>The multiple of the recent median natural-gradient norm a step may reach (<see cref="MedianNormLimit"/>).</summary>
    public const double OutlierFactor = 4;

    /// <summary>The number of recent steps whose median natural-gradient norm sets the outlier limit.</summary>
    public const int OutlierWindow = 100;

    private static void LimitOutlier(double[] step, double rate, MedianNormLimit limit)
    {
        if (!(rate > 0)) return;
        double norm = 0;
        foreach (double x in step) norm += x * x;
        norm = Math.Sqrt(norm) / rate;
        double maximum = limit.Limit();
        limit.Add(norm);
        if (norm > maximum)
            for (int i = 0; i < step.Length; i++) step[i] *= maximum / norm;
    }

    // marks the outlier limits' history in a saved state (states saved before it existed have none)
    private const int HistoryMarker = 0x314D4E47; // "GNM1"

    /// <inheritdoc/>
    protected override void WriteExtraState(BinaryWriter writer)
    {
        writer.Write(HistoryMarker);
        _locLimit.Write(writer);
        _factorLimit.Write(writer);
    }

    /// <inheritdoc/>
    protected override void ReadExtraState(BinaryReader reader)
    {
        var (loc, factor) = (new MedianNormLimit(OutlierFactor, OutlierWindow), new MedianNormLimit(OutlierFactor, OutlierWindow));
        var stream = reader.BaseStream;
        long start = stream.CanSeek ? stream.Position : -1;
        if (reader.ReadInt32() == HistoryMarker)
        {
            loc.Read(reader);
            factor.Read(reader);
        }
        else if (start >= 0) stream.Position = start; // an older state: no history, the limits start empty
        else throw new FormatException("GaussianNaturalGradient: the saved state has no outlier-limit history and cannot be rewound.");
        (_locLimit, _factorLimit) = (loc, factor);
    }

    private static void Clip(double[] step, double maximum)
    {
        double norm = 0;
        foreach (double x in step) norm += x * x;
        norm = Math.Sqrt(norm);
        if (norm > maximum)
            for (int i = 0; i < step.Length; i++) step[i] *= maximum / norm;
    }

    private void ScaleAndDerivative(ReadOnlySpan<double> raw, double[] scale, double[] derivative)
    {
        if (_scaleBijector is ExpBijector)
        {
            // the usual case, without tensors: s = exp(u), ds/du = s
            for (int i = 0; i < raw.Length; i++) scale[i] = derivative[i] = Math.Exp(raw[i]);
            return;
        }
        using var _ = GradMode.Disable();
        using var scope = new TensorScope();
        var u = Tensor.FromArray(raw, raw.Length);
        var y = _scaleBijector.Forward(u);
        y.Span.CopyTo(scale);
        var logDerivative = _scaleBijector.LogAbsDetJacobian(u, y).Span;
        for (int i = 0; i < derivative.Length; i++) derivative[i] = Math.Exp(logDerivative[i]);
    }

    private void Unconstrain(double[] scale, Span<double> raw)
    {
        if (_scaleBijector is ExpBijector)
        {
            for (int i = 0; i < scale.Length; i++) raw[i] = Math.Log(scale[i]);
            return;
        }
        using var _ = GradMode.Disable();
        using var scope = new TensorScope();
        _scaleBijector.Inverse(Tensor.FromArray(scale, scale.Length)).Span.CopyTo(raw);
    }
}
