using Vinfer.Tensors;

namespace Vinfer.Modeling;

/// <summary>
/// A scope of conditional independence over one batch dimension (Pyro's <c>plate</c>): sample sites inside it have
/// their distribution's batch shape expanded along <see cref="Dim"/> to the plate's (subsample) size, and with
/// subsampling their log-density is scaled by size / subsample size, so the scaled sum estimates the full-data sum
/// without bias. Open it with <c>using (var p = Plate("data", n, 100)) { … p.Indices … }</c>.
/// </summary>
public sealed class Plate : Messenger
{
    [ThreadStatic] private static List<int>? _activeDims;

    private readonly int? _requestedDim;
    private int _dim;
    private bool _dimTaken;

    internal Plate(string name, int size, int? subsampleSize, int? dim)
    {
        if (size <= 0) throw new ArgumentOutOfRangeException(nameof(size), $"Plate '{name}': size must be positive, got {size}.");
        if (subsampleSize is { } k && (k <= 0 || k > size))
            throw new ArgumentOutOfRangeException(nameof(subsampleSize), $"Plate '{name}': subsample size must be in 1…{size}, got {k}.");
        if (dim is { } d && d >= 0) throw new ArgumentOutOfRangeException(nameof(dim), $"Plate '{name}': dim counts from the right and must be negative, got {d}.");
        Name = name;
        Size = size;
        SubsampleSize = subsampleSize ?? size;
        _requestedDim = dim;
    }

    /// <summary>The plate's name.</summary>
    public string Name { get; }

    /// <summary>The full size of the independent dimension.</summary>
    public int Size { get; }

    /// <summary>How many of the <see cref="Size"/> entries this pass uses.</summary>
    public int SubsampleSize { get; }

    /// <summary>The batch dimension (negative, from the right) the plate occupies.</summary>
    public int Dim => _dim;

    /// <summary>The indices of the entries this pass uses (0…size−1 without subsampling), increasing.</summary>
    public int[] Indices { get; private set; } = [];

    /// <summary>The indices as a vector tensor (float64), for models that index data with tensor ops.</summary>
    public Tensor? IndexTensor { get; private set; }

    /// <inheritdoc/>
    protected override void OnEnter()
    {
        var active = _activeDims ??= new List<int>();
        if (_requestedDim is { } d)
        {
            if (active.Contains(d)) throw new InvalidOperationException($"Plate '{Name}': dim {d} is already used by an enclosing plate.");
            _dim = d;
        }
        else
        {
            int d2 = -1;
            while (active.Contains(d2)) d2--;
            _dim = d2;
        }
        active.Add(_dim);
        _dimTaken = true;
        // The subsample is drawn through the stack (outside this plate), so Seed gives it randomness and Replay can
        // hand a guide's indices to the model.
        HandlerStack.Pop(this);
        try
        {
            var site = new Site(Name, SiteKind.Subsample) { SubsampleSizes = (Size, SubsampleSize) };
            HandlerStack.Apply(site);
            var idx = site.Value!;
            if (idx.Count != SubsampleSize)
                throw new InvalidOperationException($"Plate '{Name}': {idx.Count} subsample indices were supplied, expected {SubsampleSize}.");
            IndexTensor = idx;
            var ints = new int[idx.Count];
            var s = idx.Span;
            for (int i = 0; i < ints.Length; i++) ints[i] = (int)s[i];
            Indices = ints;
        }
        finally { HandlerStack.Push(this); }
    }

    /// <inheritdoc/>
    protected override void OnExit() => ReleaseDim();

    /// <summary>A failed subsample draw (e.g. no seed) must not leave the dimension taken for later plates.</summary>
    protected override void OnEnterFailed() => ReleaseDim();

    private void ReleaseDim()
    {
        if (_dimTaken) _activeDims!.Remove(_dim);
        _dimTaken = false;
    }

    /// <inheritdoc/>
    protected internal override void ProcessMessage(Site site)
    {
        if (site.Kind != SiteKind.Sample) return;
        site.Frames.Insert(0, new PlateFrame(Name, Size, SubsampleSize, _dim));
        if (SubsampleSize != Size) site.Scale *= (double)Size / SubsampleSize;
        if (site.Distribution is { } d) site.Distribution = ExpandAlong(d, site.Name);
    }

    private Distributions.Distribution ExpandAlong(Distributions.Distribution d, string siteName)
    {
        var batch = d.BatchShape;
        int rank = Math.Max(batch.Length, -_dim);
        var target = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int j = i - (rank - batch.Length);
            target[i] = j >= 0 ? batch[j] : 1;
        }
        int at = rank + _dim;
        if (target[at] == SubsampleSize && rank == batch.Length) return d;
        if (target[at] != 1 && target[at] != SubsampleSize)
            throw new ArgumentException(
                $"Sample site '{siteName}': batch dimension {_dim} has size {target[at]} but plate '{Name}' has size {SubsampleSize}.");
        target[at] = SubsampleSize;
        return d.Expand(target);
    }
}
