using System.Numerics.Tensors;
using Tensor = Vinfer.Tensors.Tensor;

namespace Vinfer.Optim;

/// <summary>
/// Polyak–Ruppert iterate averaging (Polyak &amp; Juditsky 1992, "Acceleration of stochastic approximation by
/// averaging"): keeps the running mean of each named parameter over the iterates passed to <see cref="Update"/>
/// (or an exponential moving average when a decay is given). Averaging the iterates of a stochastic optimizer
/// removes most of the noise that a constant step size leaves in the last iterate.
/// </summary>
public sealed class IterateAverage
{
    private readonly Dictionary<string, (double[] Mean, long Count)> _averages = new(StringComparer.Ordinal);

    /// <summary>Arithmetic averaging (decay null) or exponential averaging with weight <paramref name="decay"/> on the old mean.</summary>
    public IterateAverage(double? decay = null)
    {
        if (decay is { } d && !(d > 0 && d < 1)) throw new ArgumentOutOfRangeException(nameof(decay), d, "decay must be in (0, 1)");
        Decay = decay;
    }

    /// <summary>The EMA decay, or null for the arithmetic mean.</summary>
    public double? Decay { get; }

    /// <summary>Folds the current values of the parameters into their averages (new names start their own average).</summary>
    public void Update(IEnumerable<KeyValuePair<string, Tensor>> parameters)
    {
        foreach (var (name, p) in parameters)
        {
            var x = p.Span;
            if (!_averages.TryGetValue(name, out var entry))
            {
                _averages[name] = (x.ToArray(), 1);
                continue;
            }
            if (entry.Mean.Length != x.Length)
                throw new InvalidOperationException($"parameter '{name}' changed size from {entry.Mean.Length} to {x.Length} elements");
            long n = entry.Count + 1;
            double w = Decay is { } d ? d : (n - 1) / (double)n;
            // mean ← w·mean + (1−w)·x  ==  (mean − x)·w + x
            var mean = entry.Mean.AsSpan();
            TensorPrimitives.Subtract(mean, x, mean);
            TensorPrimitives.MultiplyAdd(mean, w, x, mean);
            _averages[name] = (entry.Mean, n);
        }
    }

    /// <summary>Number of iterates averaged for <paramref name="name"/> (0 when unseen).</summary>
    public long Count(string name) => _averages.TryGetValue(name, out var e) ? e.Count : 0;

    /// <summary>The average of <paramref name="name"/> (a read-only view of the internal buffer).</summary>
    public ReadOnlySpan<double> Average(string name) =>
        _averages.TryGetValue(name, out var e) ? e.Mean : throw new KeyNotFoundException($"no average for parameter '{name}'");

    /// <summary>Copies the averages into the given tensors (for example to evaluate or save the averaged fit).</summary>
    public void CopyTo(IEnumerable<KeyValuePair<string, Tensor>> parameters)
    {
        foreach (var (name, p) in parameters)
            if (_averages.TryGetValue(name, out var e)) e.Mean.CopyTo(p.Span);
    }

    /// <summary>Forgets all averages (e.g. to start averaging after a burn-in).</summary>
    public void Reset() => _averages.Clear();
}
