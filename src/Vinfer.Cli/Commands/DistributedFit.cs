using System.CommandLine;
using Vinfer.Data;
using Vinfer.Distributed;
using Vinfer.Inference;
using Vinfer.Models;

namespace Vinfer.Cli.Commands;

/// <summary>
/// <c>mpirun -np P vinfer fit MODEL --data FILE --distributed</c>: a data-parallel fit over the P processes of an MPI
/// job (<see cref="MpiCommunicator"/>). Each rank keeps its own rows (a block of a JSON or CSV file's rows, a block of a
/// Parquet file's row groups, or with <c>--shards DIR</c> the rank's own file), the ranks check together that the
/// shards fit (every rank read its shard, same width, at least one row each), and the model is bound to the rank's rows
/// (<see cref="IDataParallelModel.BindShard"/>): every rank then runs the identical fit, summing its likelihood terms
/// with the others' (docs/distributed.md). Rank 0 alone prints, writes summary.json, draws.csv and checkpoints.
/// </summary>
internal static class DistributedFit
{
    /// <summary>Run as one rank of an MPI job.</summary>
    public static readonly Option<bool> Distributed = new("--distributed")
    {
        Description = "Data-parallel fit over the processes of `mpirun -np P` (each rank keeps its share of the rows; rank 0 writes the outputs).",
    };

    /// <summary>A folder of one data file per rank.</summary>
    public static readonly Option<string?> Shards = new("--shards")
    {
        Description = "With --distributed: a folder of one data file per rank (JSON, CSV or Parquet, taken in name order), instead of --data.",
    };

    /// <summary>The job's communicator once this process joined it (null on a single-process fit).</summary>
    public static ICommunicator? Communicator { get; private set; }

    /// <summary>True unless this process is a rank other than 0 of a distributed fit (only rank 0 prints and writes).</summary>
    public static bool IsLeader => Communicator is not { Rank: > 0 };

    /// <summary>Adds both options to the fit command.</summary>
    public static void AddOptions(Command fit)
    {
        fit.Options.Add(Distributed);
        fit.Options.Add(Shards);
    }

    /// <summary>
    /// Runs <paramref name="fit"/> (a model path returning its exit code) as one rank when <c>--distributed</c> is
    /// given: afterwards the ranks meet and MPI is finalized; a rank that failed after joining the job names itself and
    /// ends the whole job (MPI_Abort), since the other ranks may be waiting in a collective.
    /// </summary>
    public static int Run(ParseResult pr, Func<int> fit)
    {
        if (!pr.GetValue(Distributed))
        {
            if (pr.GetValue(Shards) is not null) return Infrastructure.CliError.Report(pr, "--shards applies only with --distributed.");
            return fit();
        }
        if (!MpiCommunicator.IsLaunchedByMpirun)
            return Infrastructure.CliError.Report(pr, "--distributed: this process was not started by mpirun (OMPI_COMM_WORLD_SIZE is not set); run `mpirun -np P vinfer fit MODEL --data FILE --distributed`.");
        int code;
        try { code = fit(); }
        catch (AgreedFailure) { code = Infrastructure.CliError.ExitCode; }
        if (Communicator is MpiCommunicator mpi)
        {
            var stats = mpi.Statistics;
            if (code == 0 && mpi.Rank == 0)
                pr.InvocationConfiguration.Error.WriteLine(FormattableString.Invariant(
                    $"distributed: {mpi.Size} ranks, {stats.Allreduces} allreduces of {stats.AllreducedBytes / 1e6:F3} MB in all, {stats.Seconds:F3} s in collectives on rank 0"));
            if (code != 0 && code != VerdictOptions.UntrustedExitCode && !_agreedFailure)
            {
                pr.InvocationConfiguration.Error.WriteLine($"vinfer fit: rank {mpi.Rank} of {mpi.Size} stopped with exit code {code}; ending the job (no output written).");
                mpi.Abort(code);
            }
            mpi.Barrier();
            mpi.Dispose();
            Communicator = null;
        }
        return code;
    }

    private static bool _agreedFailure;

    /// <summary>Methods that bind the data themselves and so cannot run distributed.</summary>
    public static void RejectFor(ParseResult pr, string what)
    {
        if (pr.GetValue(Distributed)) throw new ArgumentException($"--distributed does not apply to {what}; it takes --method advi.");
    }

    /// <summary>
    /// The model program bound to this rank's rows with <c>--distributed</c> (after joining the job and checking the
    /// shards with the other ranks), or null for a single-process fit.
    /// </summary>
    public static Action? Bind(ParseResult pr, BuiltInModel model)
    {
        if (!pr.GetValue(Distributed)) return null;
        if (model is not IDataParallelModel parallel)
            throw new ArgumentException($"--distributed: model '{model.Name}' does not split its data over ranks; models that do: {string.Join(", ", FitCommand.BuiltInModels.Names.Where(n => FitCommand.BuiltInModels.Get(n) is IDataParallelModel))}.");
        string? data = pr.GetValue(FitCommand.Data);
        string? shards = pr.GetValue(Shards);
        if (data is null == shards is null) throw new ArgumentException("--distributed needs exactly one of --data FILE (split by rows) or --shards DIR (one file per rank).");
        var communicator = MpiCommunicator.Initialize();
        Communicator = communicator;
        var (shard, rows) = ReadShare(pr, model, parallel.RowCountField, data, shards, communicator);
        return parallel.BindShard(shard, rows, communicator);
    }

    /// <summary>
    /// For a path that reads all rows and keeps its block (gmm): with <c>--distributed</c>, joins the job and returns this
    /// rank's block of <paramref name="rows"/>; null for a single-process fit. <paramref name="unsupported"/> names an
    /// option that cannot run distributed, if one was given.
    /// </summary>
    public static RowRange? JoinForRows(ParseResult pr, int rows, string? unsupported)
    {
        if (!pr.GetValue(Distributed)) return null;
        if (unsupported is not null) throw new ArgumentException($"--distributed does not apply to {unsupported}.");
        var communicator = MpiCommunicator.Initialize();
        Communicator = communicator;
        if (rows < communicator.Size)
        {
            // every rank read the same rows, so every rank knows: one message (from rank 0), exit code 1 on all
            _agreedFailure = true;
            if (communicator.Rank == 0)
                pr.InvocationConfiguration.Error.WriteLine($"vinfer fit: error: more ranks than rows: {communicator.Size} ranks for {rows} rows; every rank needs at least one row (use at most {rows} ranks).");
            throw new AgreedFailure();
        }
        return RowRange.Share(rows, communicator.Rank, communicator.Size);
    }

    /// <summary>All ranks' values of a per-row array, in row order (one allreduce of the row count); the local array when not distributed.</summary>
    public static int[] GatherRows(int[] local, RowRange? rows)
    {
        if (rows is not { } r || Communicator is not { } communicator) return local;
        var all = new double[r.Total];
        for (int i = 0; i < local.Length; i++) all[r.Start + i] = local[i];
        communicator.AllreduceSum(all);
        return all.Select(v => (int)v).ToArray();
    }

    /// <summary>The mean over all rows of a per-rank mean over <paramref name="count"/> rows (identity when not distributed).</summary>
    public static double MeanOverRows(double localMean, int count, int total)
    {
        if (Communicator is not { } communicator) return localMean;
        Span<double> sum = [localMean * count];
        communicator.AllreduceSum(sum);
        return sum[0] / total;
    }

    /// <summary>Drops the checkpoint writer on ranks other than 0 (the state is the same on every rank).</summary>
    public static FitOptions Adjust(FitOptions options) => IsLeader ? options : options with { Checkpoint = null };

    /// <summary>
    /// Reads this rank's share, then agrees with the other ranks (one MPI_Allreduce(MAX) of 2P + 1 numbers: each rank's
    /// row count and width, and the lowest failed rank) before anyone goes on, so a rank that cannot read its shard,
    /// shards of unequal width or an empty share end every rank with one message and exit code 1.
    /// </summary>
    private static (StanData Shard, RowRange Rows) ReadShare(ParseResult pr, BuiltInModel model, string rowField, string? data, string? shards, ICommunicator communicator)
    {
        int rank = communicator.Rank, size = communicator.Size;
        StanData? shard = null;
        RowRange? given = null;
        string? failure = null;
        try
        {
            if (shards is not null)
            {
                if (!Directory.Exists(shards)) throw new ArgumentException($"--shards: folder '{shards}' does not exist.");
                var files = Directory.GetFiles(shards).Where(f => Path.GetExtension(f).ToLowerInvariant() is ".json" or ".csv" or ".parquet").Order(StringComparer.Ordinal).ToArray();
                if (files.Length != size)
                    throw new ArgumentException($"--shards: folder '{shards}' holds {files.Length} data files (.json, .csv, .parquet) but the job has {size} ranks; give one file per rank.");
                shard = ReadFile(files[rank], model);
            }
            else if (Path.GetExtension(data!).Equals(".parquet", StringComparison.OrdinalIgnoreCase))
            {
                if (!File.Exists(data)) throw new ArgumentException($"--data: file '{data}' does not exist.");
                int groups = ParquetTable.RowGroupCount(data!);
                if (groups < size)
                    throw new ArgumentException($"more ranks than row groups: {size} ranks for the {groups} row groups of '{data}'; every rank reads whole row groups (use at most {groups} ranks, or --shards).");
                var own = RowRange.Share(groups, rank, size);
                shard = model.FromTable(ParquetTable.Load(data!, own.Start, own.Count));
            }
            else if (Path.GetExtension(data!).Equals(".csv", StringComparison.OrdinalIgnoreCase))
            {
                if (!File.Exists(data)) throw new ArgumentException($"--data: file '{data}' does not exist.");
                long total = CsvTable.CountRows(data!);
                if (total > int.MaxValue) throw new ArgumentException($"--data: '{data}' has {total} rows, more than {int.MaxValue}; split it with --shards.");
                var rows = RowRange.Share((int)total, rank, size);
                shard = model.FromTable(CsvTable.Load(data!, rows.Start, rows.Count));
                given = rows;
            }
            else
            {
                if (!File.Exists(data)) throw new ArgumentException($"--data: file '{data}' does not exist.");
                shard = StanDataRows.Load(data!, rowField, total =>
                {
                    var rows = RowRange.Share(total, rank, size);
                    given = rows;
                    return (rows.Start, rows.Count);
                });
            }
        }
        catch (Exception e) when (e is ArgumentException or DataFormatException or IOException or UnauthorizedAccessException or FormatException or NotSupportedException or System.Text.Json.JsonException)
        {
            // ArgumentException appends "(Parameter 'x')" to Message: a user reads only the sentence
            failure = e is ArgumentException a && a.ParamName is not null ? a.Message.Replace($" (Parameter '{a.ParamName}')", "", StringComparison.Ordinal) : e.Message;
        }
        int count = 0, width = 0;
        if (failure is null)
        {
            try
            {
                count = shard!.GetInt(rowField, 1);
                width = Width(shard, rowField, count);
            }
            catch (DataFormatException e) { failure = e.Message; }
        }
        var agreed = new double[2 * size + 1];
        agreed[rank] = count;
        agreed[size + rank] = width;
        agreed[2 * size] = failure is null ? 0 : size - rank; // the maximum names the lowest failed rank
        communicator.AllreduceMax(agreed);
        if (agreed[2 * size] > 0)
        {
            int first = size - (int)agreed[2 * size];
            if (rank == first) pr.InvocationConfiguration.Error.WriteLine($"vinfer fit: error: rank {rank} of {size} cannot use its share of the data: {Infrastructure.PrintableText.Sanitize(failure!)}");
            _agreedFailure = true;
            throw new AgreedFailure();
        }
        for (int r = 1; r < size; r++)
            if (agreed[size + r] != agreed[size])
            {
                _agreedFailure = true;
                if (rank == 0)
                    pr.InvocationConfiguration.Error.WriteLine($"vinfer fit: error: shards of unequal width: rank 0 has {agreed[size]} values per row, rank {r} has {agreed[size + r]} (every shard needs the same columns).");
                throw new AgreedFailure();
            }
        int start = 0, all = 0;
        for (int r = 0; r < size; r++)
        {
            if (r < rank) start += (int)agreed[r];
            all += (int)agreed[r];
        }
        var range = new RowRange(start, count, all);
        if (given is { } g && g != range) throw new InvalidOperationException($"rank {rank}: row share {g} disagrees with the agreed {range}.");
        return (shard!, range);
    }

    /// <summary>A failure every rank knows of and has reported once: each rank exits with code 1, no abort needed.</summary>
    private sealed class AgreedFailure() : Exception("the ranks agreed to stop (reported above)");

    /// <summary>Values per row: the sum over row-shaped fields of their size per row (X's D plus y's 1 for a regression).</summary>
    private static int Width(StanData shard, string rowField, int count)
    {
        int width = 0;
        foreach (var name in shard.Names)
        {
            if (name == rowField) continue;
            var shape = shard.GetShape(name);
            if (shape.Length > 0 && shape[0] == count)
            {
                int inner = 1;
                for (int i = 1; i < shape.Length; i++) inner *= shape[i];
                width += inner;
            }
        }
        return width;
    }

    private static StanData ReadFile(string path, BuiltInModel model)
    {
        string extension = Path.GetExtension(path);
        if (extension.Equals(".parquet", StringComparison.OrdinalIgnoreCase)) return model.FromTable(ParquetTable.Load(path));
        return extension.Equals(".csv", StringComparison.OrdinalIgnoreCase) ? model.FromTable(CsvTable.Load(path)) : StanData.Load(path);
    }
}
