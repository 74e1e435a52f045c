using Vinfer.Distributed;
using Vinfer.Random;
using Vinfer.Tensors;
using Vinfer.Tensors.Kernels;

namespace Vinfer.Distributions;

/// <summary>
/// This process's block of a row-wise independent normal over the rows of a data-parallel fit (a per-row "local"
/// latent, Hoffman et al., "Stochastic variational inference", JMLR 2013, §2: each data point's own latent variable):
/// the event is the <see cref="RowRange.Count"/> rows the process owns, N(loc_i, scale_i²) each, and
/// <see cref="Distribution.LogProb"/> is the log-density of <em>all</em> rows, the process's own block summed over the
/// processes (<see cref="DataParallel.SumOverRanks"/>: one allreduce of one number per draw; the gradient flows to the
/// own block only). Draw m of row i takes its standard-normal noise from element <see cref="RowRange.Start"/> + i (the
/// row's <em>global</em> index) of the counter-based stream of key.Child(m) (<see cref="Vinfer.Random.Sample.NormalRange"/>),
/// so row i's draw is the same whatever the number of processes and whichever owns it. With <see cref="SingleProcessCommunicator"/> and <see cref="RowRange.All"/> it is
/// the whole vector on one process, the reference a data-parallel fit must reproduce.
/// </summary>
public sealed class RowBlockNormal : Distribution
{
    /// <summary>
    /// The block <paramref name="rows"/> of normals N(<paramref name="loc"/>, <paramref name="scale"/>²) whose last
    /// dimension (after broadcasting) is the row (of length <paramref name="rows"/>.Count, or 1 to share a value).
    /// </summary>
    public RowBlockNormal(Tensor loc, Tensor scale, RowRange rows, ICommunicator communicator, bool? validateArgs = null)
        : base(BlockBatchShape(loc, scale, rows), [rows.Count], validateArgs)
    {
        ArgumentNullException.ThrowIfNull(communicator);
        Loc = loc;
        Scale = scale;
        Rows = rows;
        Communicator = communicator;
        CheckParameter(nameof(loc), loc, Constraints.Real);
        CheckParameter(nameof(scale), scale, Constraints.Positive);
    }

    /// <summary>The means (broadcast to the block's shape).</summary>
    public Tensor Loc { get; }

    /// <summary>The standard deviations.</summary>
    public Tensor Scale { get; }

    /// <summary>The rows this process owns.</summary>
    public RowRange Rows { get; }

    /// <summary>The processes the block's log-density is summed over.</summary>
    public ICommunicator Communicator { get; }

    /// <inheritdoc/>
    public override Constraint Support => Constraints.Independent(Constraints.Real, 1);

    /// <inheritdoc/>
    public override bool HasRSample => true;

    /// <summary>The log-density of every process's block: Σ over processes of Σ over own rows of log N(x_i; loc_i, scale_i²).</summary>
    public override Tensor LogProb(Tensor value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Rank < 1 || value.Shape[^1] != Rows.Count)
            throw new ArgumentException($"RowBlockNormal.LogProb: the value's last dimension must be the {Rows.Count} rows owned, got shape {Shapes.Format(value.Shape)}.", nameof(value));
        var own = new Normal(Loc, Scale, Validates).LogProb(value).Sum(-1);
        return DataParallel.SumOverRanks(own, Communicator);
    }

    /// <summary>loc + scale·ε, draw m's ε at row i the element (global row index) of the stream of one key's child m.</summary>
    public override Tensor RSample(RandomStream rng, params int[] sampleShape)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var shape = ExtendedShape(sampleShape);
        int count = Rows.Count;
        int perRow = count == 0 ? 0 : Shapes.Count(shape) / count;
        var noise = new double[perRow * count];
        var key = rng.NextKey();
        // draw m of every row comes from the stream key.Child(m) at the row's global index: this block is a slice of it
        for (int m = 0; m < perRow; m++)
            Vinfer.Random.Sample.NormalRange(key.Child(m), Rows.Start, noise.AsSpan(m * count, count));
        return Loc + Scale * Tensor.FromArray(noise, shape);
    }

    /// <inheritdoc/>
    public override Tensor Mean => Loc.Expand([.. BatchShape, .. EventShape]);

    /// <inheritdoc/>
    public override Tensor Variance => Scale.Square().Expand([.. BatchShape, .. EventShape]);

    private static int[] BlockBatchShape(Tensor loc, Tensor scale, RowRange rows)
    {
        ArgumentNullException.ThrowIfNull(loc);
        ArgumentNullException.ThrowIfNull(scale);
        var shape = Shapes.Broadcast(Shapes.Broadcast(loc.Shape.ToArray(), scale.Shape.ToArray(), "RowBlockNormal"), [rows.Count], "RowBlockNormal");
        if (shape[^1] != rows.Count)
            throw new ArgumentException($"RowBlockNormal: loc {Shapes.Format(loc.Shape)} and scale {Shapes.Format(scale.Shape)} do not end in the {rows.Count} rows owned (or 1).", nameof(loc));
        return shape[..^1];
    }
}
