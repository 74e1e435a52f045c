using Vinfer.Guides;
using Vinfer.Tensors;

namespace Vinfer.Inference;

/// <summary>
/// A model's unconstrained log density (<see cref="UnconstrainedLogDensity"/>) as a function of one flat vector of
/// all latent sites' unconstrained coordinates, in the order of <see cref="ModelPrototype.Latents"/> (the order of
/// <see cref="FlatLatentGuide"/>'s latent vector), with its gradient by reverse-mode autodiff: the form an optimizer
/// on double[] (<see cref="Optim.Lbfgs"/>) and Pathfinder need. Counts its evaluations.
/// </summary>
public sealed class FlatLogDensity
{
    private readonly UnconstrainedLogDensity _density;

    /// <summary>The density of <paramref name="model"/>.</summary>
    public FlatLogDensity(Action model)
    {
        _density = new UnconstrainedLogDensity(model);
        Dimension = _density.Prototype.Latents.Sum(l => l.UnconstrainedCount);
        if (Dimension == 0) throw new ArgumentException("FlatLogDensity: the model has no latent sites.", nameof(model));
    }

    /// <summary>The model's structure.</summary>
    public ModelPrototype Prototype => _density.Prototype;

    /// <summary>The number of unconstrained coordinates D.</summary>
    public int Dimension { get; }

    /// <summary>Evaluations with a gradient so far.</summary>
    public long GradientEvaluations { get; private set; }

    /// <summary>Evaluations without a gradient so far.</summary>
    public long ValueEvaluations { get; private set; }

    /// <summary>log p at <paramref name="u"/> (−∞ when the model throws a domain error or returns NaN there).</summary>
    public double Value(ReadOnlySpan<double> u)
    {
        Check(u);
        ValueEvaluations++;
        using var scope = new TensorScope();
        using var _ = GradMode.Disable();
        try
        {
            double v = _density.Evaluate(Split(Tensor.FromArray(u, Dimension))).Item();
            return double.IsNaN(v) ? double.NegativeInfinity : v;
        }
        catch (ArgumentException) { return double.NegativeInfinity; }
    }

    /// <summary>
    /// log p at each row of the row-major <paramref name="points"/> (values.Length rows of D), written to
    /// <paramref name="values"/>: one vectorized pass of the model over all of them
    /// (<see cref="UnconstrainedLogDensity.EvaluatePerParticle"/>), −∞ for a NaN. When the pass throws a domain error
    /// (one point outside the model's domain) each point is evaluated alone by <see cref="Value"/>, so a rejected point
    /// gets −∞ without taking the others with it. Counts one value evaluation per point.
    /// </summary>
    public void Values(ReadOnlySpan<double> points, Span<double> values)
    {
        int k = values.Length;
        if (points.Length != k * Dimension) throw new ArgumentException($"FlatLogDensity: {points.Length} coordinates are not {k} points of length {Dimension}.", nameof(points));
        if (k == 0) return;
        bool vectorized = true;
        using (var scope = new TensorScope())
        using (GradMode.Disable())
        {
            try
            {
                var flat = Tensor.FromArray(points, k, Dimension);
                var values0 = new Dictionary<string, Tensor>(StringComparer.Ordinal);
                int offset = 0;
                foreach (var site in Prototype.Latents)
                {
                    int n = site.UnconstrainedCount;
                    var shape = new List<int> { k };
                    for (int i = site.BatchRank; i < Prototype.MaxPlateNesting; i++) shape.Add(1);
                    shape.AddRange(site.UnconstrainedShape);
                    values0[site.Name] = flat.Narrow(1, offset, n).Reshape([.. shape]);
                    offset += n;
                }
                _density.EvaluatePerParticle(values0, k).Span.CopyTo(values);
            }
            catch (ArgumentException) { vectorized = false; }
        }
        if (!vectorized)
        {
            for (int i = 0; i < k; i++) values[i] = Value(points.Slice(i * Dimension, Dimension));
            return;
        }
        ValueEvaluations += k;
        for (int i = 0; i < k; i++) if (double.IsNaN(values[i])) values[i] = double.NegativeInfinity;
    }

    /// <summary>log p at <paramref name="u"/>, with ∇log p written to <paramref name="gradient"/>; NaN when either is not finite.</summary>
    public double ValueAndGradient(ReadOnlySpan<double> u, Span<double> gradient)
    {
        Check(u);
        if (gradient.Length != Dimension) throw new ArgumentException($"FlatLogDensity: the gradient has length {gradient.Length}, expected {Dimension}.", nameof(gradient));
        GradientEvaluations++;
        using var scope = new TensorScope();
        var leaf = Tensor.Parameter(u, Dimension);
        double value;
        try
        {
            var lp = _density.Evaluate(Split(leaf));
            value = lp.Item();
            if (!double.IsFinite(value)) return double.NaN;
            lp.Backward();
        }
        catch (ArgumentException) { return double.NaN; }
        if (leaf.Grad is { } g) g.Span.CopyTo(gradient);
        else gradient.Clear();
        foreach (double x in gradient) if (!double.IsFinite(x)) return double.NaN;
        return value;
    }

    private void Check(ReadOnlySpan<double> u)
    {
        if (u.Length != Dimension) throw new ArgumentException($"FlatLogDensity: the point has length {u.Length}, expected {Dimension}.", nameof(u));
    }

    private Dictionary<string, Tensor> Split(Tensor flat)
    {
        var values = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        int offset = 0;
        foreach (var site in Prototype.Latents)
        {
            int n = site.UnconstrainedCount;
            values[site.Name] = flat.Narrow(0, offset, n).Reshape(site.UnconstrainedShape.ToArray());
            offset += n;
        }
        return values;
    }
}
