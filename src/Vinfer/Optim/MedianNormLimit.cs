namespace Vinfer.Optim;

/// <summary>
/// An adaptive clipping threshold for a stochastic step whose noise is heavy tailed: <see cref="Factor"/> times the
/// median norm of the last <see cref="Window"/> unclipped steps. A step many times longer than the recent typical one
/// is a rare draw (for ADVI, a particle deep in a funnel's neck), not information, and a step that is not normalized
/// per coordinate (unlike Adam's, whose running second moment absorbs an outlier) would otherwise carry it whole; the
/// median ignores the outliers themselves, and a norm that rises for good (a fit entering a steeper region) raises the
/// threshold within half a window. Clipping by a quantile of the recent gradient norms follows AutoClip (Seetharaman
/// et al., "AutoClip: adaptive gradient clipping for source separation networks", 2020); on heavy-tailed gradient
/// noise clipping is what makes plain stochastic-gradient steps converge (Zhang et al., "Why are adaptive methods
/// good for attention models?", NeurIPS 2020). No limit applies before <see cref="MinimumHistory"/> norms are seen.
/// </summary>
public sealed class MedianNormLimit
{
    private double[] _norms;  // the ring of remembered norms, oldest at _next once full
    private int _count, _next;
    private double[] _sorted; // the same norms kept in order, so the per-step median is a read, not a sort

    /// <summary>A limit of <paramref name="factor"/> × the median of the last <paramref name="window"/> norms.</summary>
    public MedianNormLimit(double factor, int window)
    {
        if (!(factor >= 1) || double.IsInfinity(factor)) throw new ArgumentOutOfRangeException(nameof(factor), factor, "MedianNormLimit: the factor must be finite and at least 1.");
        if (window < MinimumHistory) throw new ArgumentOutOfRangeException(nameof(window), window, $"MedianNormLimit: the window must hold at least {MinimumHistory} norms.");
        Factor = factor;
        Window = window;
        _norms = new double[window];
        _sorted = new double[window];
    }

    /// <summary>Norms seen before a limit applies.</summary>
    public const int MinimumHistory = 10;

    /// <summary>The multiple of the median norm allowed.</summary>
    public double Factor { get; }

    /// <summary>How many recent norms the median is taken over.</summary>
    public int Window { get; }

    /// <summary>The norms currently remembered (at most <see cref="Window"/>).</summary>
    public int Count => _count;

    /// <summary>The largest norm allowed now: <see cref="Factor"/> × the median of the remembered norms, or ∞ while fewer than <see cref="MinimumHistory"/> are.</summary>
    public double Limit()
    {
        if (_count < MinimumHistory) return double.PositiveInfinity;
        var sorted = _sorted.AsSpan(0, _count);
        double median = _count % 2 == 1 ? sorted[_count / 2] : 0.5 * (sorted[_count / 2 - 1] + sorted[_count / 2]);
        return Factor * median;
    }

    /// <summary>Remembers the unclipped norm of a step (a non-finite norm is not remembered).</summary>
    public void Add(double norm)
    {
        if (!double.IsFinite(norm)) return;
        if (_count == Window)
        {
            // the oldest norm leaves the ordered copy: a binary search and one shift of the tail
            int leaving = _sorted.AsSpan(0, _count).BinarySearch(_norms[_next]);
            _sorted.AsSpan(leaving + 1, _count - leaving - 1).CopyTo(_sorted.AsSpan(leaving));
            _count--;
        }
        int at = _sorted.AsSpan(0, _count).BinarySearch(norm);
        if (at < 0) at = ~at;
        _sorted.AsSpan(at, _count - at).CopyTo(_sorted.AsSpan(at + 1));
        _sorted[at] = norm;
        _count++;
        _norms[_next] = norm;
        _next = (_next + 1) % Window;
    }

    /// <summary>Writes the remembered norms (for a checkpoint).</summary>
    public void Write(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(_count);
        writer.Write(_next);
        for (int i = 0; i < _count; i++) writer.Write(_norms[i]);
    }

    /// <summary>Replaces the remembered norms by those <see cref="Write"/> wrote (into new buffers: a shallow copy of the owner keeps its own).</summary>
    public void Read(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        int count = reader.ReadInt32(), next = reader.ReadInt32();
        if (count < 0 || count > Window || next < 0 || next >= Window || (count < Window && next != count))
            throw new FormatException($"MedianNormLimit: a saved history of {count} norms at position {next} does not fit a window of {Window}.");
        var norms = new double[Window];
        for (int i = 0; i < count; i++) norms[i] = reader.ReadDouble();
        var sorted = new double[Window];
        norms.AsSpan(0, count).CopyTo(sorted);
        sorted.AsSpan(0, count).Sort();
        (_norms, _sorted, _count, _next) = (norms, sorted, count, next);
    }
}
