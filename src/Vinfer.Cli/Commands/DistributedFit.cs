using System.CommandLine;
using Vinfer.Cli.Infrastructure;
using Vinfer.Data;
using Vinfer.Distributed;
using Vinfer.Guides;
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

    /// <summary>Fit a data-parallel model's local latents with a per-row block (single process: the reference of a distributed fit).</summary>
    public static readonly Option<bool> BlockGuide = new("--block-guide")
    {
        Description = "For a model with per-row latents (eight_schools): the guide --distributed uses (the family over the global latents, a mean-field block per rank over its rows' latents, no Pathfinder start), here on one process.",
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
        fit.Options.Add(BlockGuide);
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
        // Ranks above 0 hold back what they write to standard error until they know how they ended: an error that every
        // rank meets (bad arguments, bad data, a failure in the replicated computation) is then printed once, by rank 0.
        int launchRank = int.TryParse(Environment.GetEnvironmentVariable("OMPI_COMM_WORLD_RANK"), out int r) ? r : 0;
        var stderr = pr.InvocationConfiguration.Error;
        var held = launchRank > 0 ? new StringWriter() : null;
        if (held is not null) pr.InvocationConfiguration.Error = held;
        int code;
        try { code = fit(); }
        catch (AgreedFailure) { code = Infrastructure.CliError.ExitCode; }
        finally { pr.InvocationConfiguration.Error = stderr; }
        bool failed = code != 0 && code != VerdictOptions.UntrustedExitCode && !_agreedFailure;
        if (failed && held is not null)
        {
            // A rank that fails alone must still say why; one that fails with the others is ended by the lowest failing
            // rank's abort (or mpirun ending the job at rank 0's exit) while it waits here, so its copy is never printed.
            Thread.Sleep(TimeSpan.FromSeconds(FailureGraceSeconds * launchRank));
        }
        if (held is not null) stderr.Write(held.ToString());
        if (Communicator is MpiCommunicator mpi)
        {
            var stats = mpi.Statistics;
            if (code == 0 && mpi.Rank == 0)
                stderr.WriteLine(FormattableString.Invariant(
                    $"distributed: {mpi.Size} ranks, {stats.Allreduces} allreduces of {stats.AllreducedBytes / 1e6:F3} MB in all, {stats.Gathers} gathers of {stats.GatheredDoubles * sizeof(double) / 1e6:F3} MB from rank 0, {stats.Seconds:F3} s in collectives on rank 0"));
            if (failed)
            {
                stderr.WriteLine($"vinfer fit: rank {mpi.Rank} of {mpi.Size} stopped with exit code {code}; ending the job (no output written).");
                mpi.Abort(code);
            }
            // every rank ends with rank 0's code (the verdict, hence --fail-on-khat's code, is decided on rank 0's gathered draws)
            Span<double> agreed = [code];
            mpi.Broadcast(agreed, 0);
            code = (int)agreed[0];
            mpi.Dispose();
            Communicator = null;
        }
        return code;
    }

    /// <summary>Seconds per rank index a failed rank above 0 waits before printing its error (see <see cref="Run"/>).</summary>
    internal const double FailureGraceSeconds = 3;

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
        Block = null;
        if (pr.GetValue(BlockGuide) && !pr.GetValue(Distributed))
        {
            // the reference of a distributed block-guide fit: the same program and guide over all rows on one process
            if (model is not IDataParallelModel { LocalSites.Count: > 0 } local)
                throw new ArgumentException($"--block-guide: model '{model.Name}' has no per-row latents; models that do: {string.Join(", ", BlockModels())}.");
            CheckBlockOptions(pr);
            var whole = ModelFit.ReadData(pr.GetValue(FitCommand.Data), model);
            var all = RowRange.All(whole.GetInt(local.RowCountField, 1));
            Block = (local.LocalSites, all, SingleProcessCommunicator.Instance);
            return local.BindShard(whole, all, SingleProcessCommunicator.Instance);
        }
        if (!pr.GetValue(Distributed)) return null;
        if (model is not IDataParallelModel parallel)
            throw new ArgumentException($"--distributed: model '{model.Name}' does not split its data over ranks; models that do: {string.Join(", ", FitCommand.BuiltInModels.Names.Where(n => FitCommand.BuiltInModels.Get(n) is IDataParallelModel))}.");
        if (parallel.LocalSites.Count > 0) CheckBlockOptions(pr);
        string? data = pr.GetValue(FitCommand.Data);
        string? shards = pr.GetValue(Shards);
        if (data is null == shards is null) throw new ArgumentException("--distributed needs exactly one of --data FILE (split by rows) or --shards DIR (one file per rank).");
        var communicator = MpiCommunicator.Initialize();
        Communicator = communicator;
        var (shard, rows) = ReadShare(pr, model, parallel.RowCountField, data, shards, communicator);
        var program = AgreeOn(pr, communicator, () => parallel.BindShard(shard, rows, communicator));
        if (parallel.LocalSites.Count > 0) Block = (parallel.LocalSites, rows, communicator);
        return program;
    }

    /// <summary>The local sites, rows and communicator of a block-guide fit (null otherwise).</summary>
    private static (IReadOnlyList<string> Sites, RowRange Rows, ICommunicator Communicator)? Block { get; set; }

    private static IEnumerable<string> BlockModels() =>
        FitCommand.BuiltInModels.Names.Where(n => FitCommand.BuiltInModels.Get(n) is IDataParallelModel { LocalSites.Count: > 0 });

    /// <summary>Options whose meaning depends on every coordinate being on every rank (or on a family search) do not apply to a block guide.</summary>
    private static void CheckBlockOptions(ParseResult pr)
    {
        if (pr.GetValue(ModelFit.Family) == VerdictOptions.AutoFamily)
            throw new ArgumentException("--family auto does not apply to a model with per-row latents fitted by block (--distributed or --block-guide): choose meanfield, lowrank or fullrank for the global latents.");
        if (pr.GetValue(VerdictOptions.Restarts) > 1)
            throw new ArgumentException("--restarts above 1 does not apply to a model with per-row latents fitted by block (--distributed or --block-guide).");
        var start = PathfinderFitCommand.ReadInit(pr);
        if (start.Radius is not null || start.Values is not null)
            throw new ArgumentException($"--init '{pr.GetValue(PathfinderFitCommand.Init)}' does not apply to a model with per-row latents fitted by block: it starts at the origin (--init pathfinder or origin).");
    }

    /// <summary>
    /// Runs <paramref name="bind"/> on every rank and agrees on its failure (one MPI_Allreduce(MAX) of one number: the
    /// lowest failed rank), so a data error found while binding (e.g. a non-positive sigma in every rank's rows) is
    /// printed once, by the lowest rank that found it, and every rank exits with code 1.
    /// </summary>
    private static Action AgreeOn(ParseResult pr, ICommunicator communicator, Func<Action> bind)
    {
        Action? program = null;
        string? failure = null;
        try { program = bind(); }
        catch (Exception e) when (e is ArgumentException or DataFormatException or InvalidOperationException or FormatException)
        {
            failure = e is ArgumentException a && a.ParamName is not null ? a.Message.Replace($" (Parameter '{a.ParamName}')", "", StringComparison.Ordinal) : e.Message;
        }
        Span<double> lowest = [failure is null ? 0 : communicator.Size - communicator.Rank];
        communicator.AllreduceMax(lowest);
        if (lowest[0] > 0)
        {
            int first = communicator.Size - (int)lowest[0];
            if (communicator.Rank == first)
                pr.InvocationConfiguration.Error.WriteLine($"vinfer fit: error: rank {first} of {communicator.Size}: {Infrastructure.PrintableText.Sanitize(failure!)}");
            _agreedFailure = true;
            throw new AgreedFailure();
        }
        return program!;
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

    /// <summary>
    /// Drops the checkpoint writer on ranks other than 0 (the state is the same on every rank); for a model with
    /// per-row latents, puts the asked family over the global latents of a <see cref="BlockFamily"/> (the local blocks
    /// on their ranks) and keeps the checkpoint callback on every rank (the local blocks are gathered to rank 0, which
    /// alone writes the file).
    /// </summary>
    public static FitOptions Adjust(FitOptions options)
    {
        if (Block is { } block)
            return options with { Family = new BlockFamily(options.Family!, block.Sites, block.Rows, block.Communicator) };
        return IsLeader ? options : options with { Checkpoint = null };
    }

    /// <summary>
    /// After a distributed fit, every rank's parameter-store size (doubles held) gathered to rank 0 and printed there on
    /// standard error: the local blocks make it grow with the rank's own rows only. Collective.
    /// </summary>
    public static void ReportStore(ParseResult pr, FitResult fit)
    {
        if (Communicator is not { } communicator) return;
        double held = fit.Store.Unconstrained.Sum(p => (double)p.Value.Count);
        var all = new double[communicator.Size];
        communicator.Gather([held], all.AsSpan(communicator.Rank == 0 ? 0 : all.Length), Enumerable.Repeat(1, communicator.Size).ToArray(), 0);
        if (communicator.Rank == 0)
            pr.InvocationConfiguration.Error.WriteLine(FormattableString.Invariant($"distributed: parameter values held per rank: {string.Join(", ", all)}"));
    }

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
                shard = ModelFit.ReadFile(files[rank], model);
            }
            else if (Path.GetExtension(data!).Equals(".parquet", StringComparison.OrdinalIgnoreCase))
            {
                if (!File.Exists(data)) throw new ArgumentException($"--data: file '{data}' does not exist.");
                if (!ManagedCommands.IsSupported) throw ManagedCommands.NotInNativeBuild("reading Parquet");
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
}
