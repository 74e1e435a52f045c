using System.Text.Json.Nodes;
using Vinfer.Distributed;
using Vinfer.Guides;
using Vinfer.Optim;

namespace Vinfer.Inference;

/// <summary>
/// Moves the per-row ("local") parts of a <see cref="BlockFamily"/> fit between the processes' row blocks and the
/// whole rows: posterior draws gathered on process 0 for the summary and draws.csv, and checkpoints gathered on
/// process 0 into the single-process layout (every local parameter and its optimizer buffers at full length), then cut
/// again into any number of processes' blocks on resume. Each process owns a contiguous block of rows, in rank order.
/// </summary>
public static class LocalBlocks
{
    /// <summary>Every process's row count, in rank order (one allreduce of P numbers).</summary>
    public static int[] RowCounts(BlockFamily family)
    {
        ArgumentNullException.ThrowIfNull(family);
        var communicator = family.Communicator;
        var counts = new double[communicator.Size];
        counts[communicator.Rank] = family.Rows.Count;
        communicator.AllreduceSum(counts);
        var result = counts.Select(c => (int)c).ToArray();
        int start = result.Take(communicator.Rank).Sum();
        if (start != family.Rows.Start || result.Sum() != family.Rows.Total)
            throw new InvalidOperationException($"LocalBlocks: rank {communicator.Rank}'s rows {family.Rows} are not its block of the rank-ordered counts [{string.Join(", ", result)}].");
        return result;
    }

    /// <summary>
    /// On process 0, the draws with the local sites' columns of every process in global row order (names
    /// <c>site[1]</c> … <c>site[N]</c>), in the single-process fit's column order; on the other processes their own
    /// draws unchanged (the global columns and their own rows). Collective: every process calls it.
    /// </summary>
    public static PosteriorDraws GatherDraws(PosteriorDraws draws, BlockFamily family)
    {
        ArgumentNullException.ThrowIfNull(draws);
        ArgumentNullException.ThrowIfNull(family);
        var communicator = family.Communicator;
        var counts = RowCounts(family);
        int width = draws.Names.Length, n = draws.Count;
        // the local columns of this process, site by site in column order, each with its own rows
        var localSites = new List<string>();
        var localColumns = new List<int>();
        for (int j = 0; j < width; j++)
        {
            string site = SiteOf(draws.Names[j]);
            if (!family.LocalSites.Contains(site)) continue;
            if (!localSites.Contains(site)) localSites.Add(site);
            localColumns.Add(j);
        }
        if (localColumns.Count != localSites.Count * family.Rows.Count)
            throw new InvalidOperationException($"LocalBlocks: the local sites {string.Join(", ", localSites)} have {localColumns.Count} columns on rank {communicator.Rank}, expected one per owned row ({family.Rows.Count} each).");
        var send = new double[n * localColumns.Count];
        for (int i = 0; i < n; i++)
            for (int c = 0; c < localColumns.Count; c++) send[i * localColumns.Count + c] = draws.Values[i * width + localColumns[c]];
        var sendCounts = counts.Select(c => n * localSites.Count * c).ToArray();
        bool root = communicator.Rank == 0;
        var received = new double[root ? sendCounts.Sum() : 0];
        communicator.Gather(send, received, sendCounts, 0);
        if (!root) return draws;
        var offsets = new int[counts.Length];
        var starts = new int[counts.Length];
        for (int r = 1; r < counts.Length; r++)
        {
            offsets[r] = offsets[r - 1] + sendCounts[r - 1];
            starts[r] = starts[r - 1] + counts[r - 1];
        }
        int total = family.Rows.Total;
        // output columns: (−1, j) a global column of this process; (site index, global row) a local one
        var columns = new List<(int Site, int Index)>();
        var names = new List<string>();
        var done = new HashSet<string>();
        for (int j = 0; j < width; j++)
        {
            string site = SiteOf(draws.Names[j]);
            int s = localSites.IndexOf(site);
            if (s < 0) { columns.Add((-1, j)); names.Add(draws.Names[j]); continue; }
            if (!done.Add(site)) continue;
            for (int g = 0; g < total; g++) { columns.Add((s, g)); names.Add($"{site}[{g + 1}]"); }
        }
        var values = new double[n * columns.Count];
        for (int c = 0; c < columns.Count; c++)
        {
            var (s, index) = columns[c];
            if (s < 0)
            {
                for (int i = 0; i < n; i++) values[i * columns.Count + c] = draws.Values[i * width + index];
                continue;
            }
            int owner = Array.FindLastIndex(starts, start => start <= index);
            while (counts[owner] == 0 || index >= starts[owner] + counts[owner]) owner++;
            int rowWidth = localSites.Count * counts[owner];
            int within = s * counts[owner] + (index - starts[owner]);
            for (int i = 0; i < n; i++) values[i * columns.Count + c] = received[offsets[owner] + i * rowWidth + within];
        }
        return new PosteriorDraws(names.ToArray(), values, draws.LogP, draws.LogQ);
    }

    /// <summary>
    /// On process 0, the checkpoint in the single-process layout: every local parameter and its optimizer buffers
    /// (of <paramref name="optimizer"/>'s type) at the whole rows' length, gathered from the processes' blocks; null on
    /// the other processes. Collective: every process calls it.
    /// </summary>
    public static SviCheckpoint? GatherCheckpoint(SviCheckpoint checkpoint, BlockFamily family, Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(family);
        ArgumentNullException.ThrowIfNull(optimizer);
        var communicator = family.Communicator;
        var counts = RowCounts(family);
        bool root = communicator.Rank == 0;
        double[] Whole(string name, double[] own)
        {
            if (!BlockFamily.IsLocalParameter(name)) return own;
            if (own.Length != family.Rows.Count)
                throw new InvalidOperationException($"LocalBlocks: '{name}' holds {own.Length} values on rank {communicator.Rank}, which owns {family.Rows.Count} rows.");
            var whole = new double[root ? family.Rows.Total : 0];
            communicator.Gather(own, whole, counts, 0);
            return whole;
        }
        var parameters = MapParameters(checkpoint.Parameters, Whole);
        var optimizerState = optimizer.RewriteState(checkpoint.OptimizerState, Whole);
        return root ? checkpoint with { Parameters = parameters, OptimizerState = optimizerState } : null;
    }

    /// <summary>
    /// This process's part of a checkpoint in the single-process layout (<see cref="GatherCheckpoint"/>): every local
    /// parameter and its optimizer buffers cut to the own rows; the rest unchanged.
    /// </summary>
    public static SviCheckpoint SliceCheckpoint(SviCheckpoint checkpoint, BlockFamily family, Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(family);
        ArgumentNullException.ThrowIfNull(optimizer);
        var rows = family.Rows;
        double[] Own(string name, double[] whole)
        {
            if (!BlockFamily.IsLocalParameter(name)) return whole;
            if (whole.Length != rows.Total)
                throw new FormatException($"checkpoint: '{name}' holds {whole.Length} values, but the data have {rows.Total} rows.");
            return whole.AsSpan(rows.Start, rows.Count).ToArray();
        }
        return checkpoint with
        {
            Parameters = MapParameters(checkpoint.Parameters, Own),
            OptimizerState = optimizer.RewriteState(checkpoint.OptimizerState, Own),
        };
    }

    /// <summary>A parameter store's JSON (<see cref="Modeling.ParamStore.ToJson"/>) with each parameter's unconstrained values mapped (a vector's shape follows).</summary>
    private static JsonObject MapParameters(JsonObject store, Func<string, double[], double[]> map)
    {
        var result = (JsonObject)store.DeepClone();
        foreach (var p in result["params"]!.AsArray())
        {
            string name = (string)p!["name"]!;
            var values = p["unconstrained"]!.AsArray().Select(x => (double)x!).ToArray();
            var mapped = map(name, values);
            if (ReferenceEquals(mapped, values)) continue;
            var array = new JsonArray();
            foreach (var v in mapped) array.Add((JsonNode)JsonValue.Create(v));   // not Add<T>: see ParamStore.ToJson
            p["unconstrained"] = array;
            p["shape"] = new JsonArray(mapped.Length);
        }
        return result;
    }

    /// <summary>The site of a column name: <c>theta[3]</c> → <c>theta</c>.</summary>
    private static string SiteOf(string column)
    {
        int bracket = column.IndexOf('[');
        return bracket < 0 ? column : column[..bracket];
    }
}
