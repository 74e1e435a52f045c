using Vinfer.Tensors;
using Vinfer.Random;

using Vinfer.Tensors.Kernels;

namespace Vinfer.Distributions;

/// <summary>
/// A probability distribution over tensors, with the shape semantics of PyTorch/Pyro
/// (Bingham et al., "Pyro: Deep Universal Probabilistic Programming", JMLR 20, 2019): a draw has shape
/// <c>sampleShape ++ BatchShape ++ EventShape</c>; <see cref="LogProb"/> sums over the event dimensions and
/// broadcasts over the sample and batch dimensions.
/// </summary>
/// <remarks>
/// Parameters are checked against their constraints at construction when validation is on (globally through
/// <see cref="ValidateArgs"/>, per instance through the constructors' <c>validateArgs</c>), as Pyro's
/// <c>validate_args</c>; values passed to <see cref="LogProb"/> are then also checked against <see cref="Support"/>.
/// Switch validation off in hot loops.
/// </remarks>
public abstract class Distribution
{
    /// <summary>Whether distributions validate their parameters and values unless told otherwise (default true).</summary>
    public static bool ValidateArgs { get; set; } = true;

    /// <summary>Creates a distribution with the given batch and event shapes.</summary>
    /// <param name="batchShape">The batch shape (not copied; never mutated).</param>
    /// <param name="eventShape">The event shape (not copied; never mutated).</param>
    /// <param name="validateArgs">Per-instance validation switch; null follows <see cref="ValidateArgs"/>.</param>
    protected Distribution(int[] batchShape, int[] eventShape, bool? validateArgs)
    {
        BatchShape = batchShape;
        EventShape = eventShape;
        Validates = validateArgs ?? ValidateArgs;
    }

    /// <summary>The shape of independent, non-identically-distributed draws (from broadcasting the parameters).</summary>
    public int[] BatchShape { get; }

    /// <summary>The shape of one draw (empty for scalar distributions).</summary>
    public int[] EventShape { get; }

    /// <summary>True when this instance validates its parameters and the values given to <see cref="LogProb"/>.</summary>
    public bool Validates { get; }

    /// <summary>The set the draws live in.</summary>
    public abstract Constraint Support { get; }

    /// <summary>True when <see cref="RSample"/> is available (draws differentiable in the parameters).</summary>
    public virtual bool HasRSample => false;

    /// <summary>The distribution's name, for error messages.</summary>
    public virtual string Name => GetType().Name;

    /// <summary>
    /// log p(value), differentiable in the parameters and in the value. The value's shape must broadcast with
    /// <c>BatchShape ++ EventShape</c>; the result has the broadcast shape without the event dimensions.
    /// </summary>
    public abstract Tensor LogProb(Tensor value);

    /// <summary>Draws of shape <c>sampleShape ++ BatchShape ++ EventShape</c>, cut from the graph.</summary>
    public virtual Tensor Sample(RandomStream rng, params int[] sampleShape)
    {
        if (!HasRSample) throw new NotSupportedException($"{Name}: no sampler is implemented.");
        using (GradMode.Disable()) return RSample(rng, sampleShape);
    }

    /// <summary>Reparameterized draws: differentiable functions of the parameters (Kingma and Welling 2014).</summary>
    public virtual Tensor RSample(RandomStream rng, params int[] sampleShape) =>
        throw new NotSupportedException($"{Name}: has no reparameterized sampler (RSample); use Sample, or a score-function estimator.");

    /// <summary>The mean, of shape <c>BatchShape ++ EventShape</c>.</summary>
    public virtual Tensor Mean => throw new NotSupportedException($"{Name}: the mean is not implemented (or does not exist).");

    /// <summary>The variance (per coordinate for multivariate distributions).</summary>
    public virtual Tensor Variance => throw new NotSupportedException($"{Name}: the variance is not implemented (or does not exist).");

    /// <summary>The standard deviation, √Variance.</summary>
    public Tensor StandardDeviation => Variance.Sqrt();

    /// <summary>The differential (or Shannon) entropy, of shape <see cref="BatchShape"/>.</summary>
    public virtual Tensor Entropy() => throw new NotSupportedException($"{Name}: has no closed-form entropy.");

    /// <summary>
    /// The same distribution with its parameters broadcast to a larger batch shape (which
    /// <see cref="BatchShape"/> must broadcast to).
    /// </summary>
    public virtual Distribution Expand(params int[] batchShape)
    {
        CheckExpand(batchShape);
        return new ExpandedDistribution(this, (int[])batchShape.Clone());
    }

    /// <summary>Reads the rightmost <paramref name="reinterpretedBatchDims"/> batch dimensions as event dimensions.</summary>
    public Independent ToEvent(int reinterpretedBatchDims) => new(this, reinterpretedBatchDims);

    /// <summary><c>sampleShape ++ BatchShape ++ EventShape</c>.</summary>
    public int[] ExtendedShape(ReadOnlySpan<int> sampleShape)
    {
        var s = new int[sampleShape.Length + BatchShape.Length + EventShape.Length];
        sampleShape.CopyTo(s);
        BatchShape.CopyTo(s, sampleShape.Length);
        EventShape.CopyTo(s, sampleShape.Length + BatchShape.Length);
        return s;
    }

    /// <summary>Throws unless <see cref="BatchShape"/> broadcasts to <paramref name="batchShape"/>.</summary>
    protected void CheckExpand(int[] batchShape)
    {
        int[] b;
        try { b = Shapes.Broadcast(BatchShape, batchShape, Name + ".Expand"); }
        catch (ArgumentException e) { throw new ArgumentException($"{Name}.Expand: batch shape {Shapes.Format(BatchShape)} cannot be expanded to {Shapes.Format(batchShape)}.", e); }
        if (!Shapes.Equal(b, batchShape))
            throw new ArgumentException($"{Name}.Expand: batch shape {Shapes.Format(BatchShape)} cannot be expanded to {Shapes.Format(batchShape)}.");
    }

    /// <summary>
    /// Throws an <see cref="ArgumentException"/> naming this distribution, the parameter, the offending element and
    /// its value when <paramref name="value"/> violates <paramref name="constraint"/> (only when validating).
    /// </summary>
    protected void CheckParameter(string parameter, Tensor value, Constraint constraint)
    {
        if (!Validates) return;
        Validation.Check(Name, parameter, value, constraint);
    }

    /// <summary>When validating, throws unless <paramref name="value"/> lies in <see cref="Support"/>.</summary>
    protected void CheckValue(Tensor value)
    {
        if (!Validates) return;
        Validation.CheckValue(Name, value, Support);
    }

    /// <summary>The broadcast of parameter shapes, with an error naming the distribution and parameters when they do not broadcast.</summary>
    protected static int[] BroadcastParameters(string distribution, string name0, Tensor p0, string name1, Tensor p1)
    {
        if (Shapes.Equal(p0.Shape, p1.Shape)) return p0.ShapeArray;
        try { return Shapes.Broadcast(p0.Shape, p1.Shape); }
        catch (ArgumentException)
        {
            throw new ArgumentException($"{distribution}: the shapes of '{name0}' {Shapes.Format(p0.Shape)} and '{name1}' {Shapes.Format(p1.Shape)} do not broadcast.");
        }
    }

    /// <summary>A fresh tensor of the extended shape filled with standard normal draws.</summary>
    protected Tensor StandardNormal(RandomStream rng, int[] sampleShape)
    {
        var eps = Tensor.Uninitialized(ExtendedShape(sampleShape));
        Vinfer.Random.Sample.Normal(rng.NextKey(), eps.Span);
        return eps;
    }

    /// <summary>A fresh tensor of the extended shape filled with Uniform(0, 1) draws.</summary>
    protected Tensor StandardUniform(RandomStream rng, int[] sampleShape)
    {
        var u = Tensor.Uninitialized(ExtendedShape(sampleShape));
        Vinfer.Random.Sample.Uniform(rng.NextKey(), u.Span);
        return u;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name}(batch {Shapes.Format(BatchShape)}, event {Shapes.Format(EventShape)})";
}
