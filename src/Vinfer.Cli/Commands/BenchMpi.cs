using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Vinfer.Data;
using Vinfer.Distributed;
using Vinfer.Guides;
using Vinfer.Inference;
using Vinfer.Models;
using Vinfer.Objectives;
using Vinfer.Optim;
using Vinfer.Random;

namespace Vinfer.Cli.Commands;

/// <summary>
/// <c>[mpirun -np P] vinfer bench mpi</c>: what the data-parallel fit's scaling model (docs/distributed.md) needs,
/// measured on this machine: (1) MPI_Allreduce of 1 … 2²⁰ doubles, microseconds per call on rank 0 (after a barrier);
/// (2) SVI steps of logistic regression (mean-field guide, Adam, ELBO with S particles) on N synthetic rows split over
/// the ranks: seconds per step, seconds per step inside the allreduces and bytes allreduced per step; (3) with
/// <c>--schools J</c>, the same for eight schools with J synthetic schools fitted by a block guide (the schools'
/// theta_trans blocks on their ranks), with the parameter values each rank holds. Without mpirun
/// it runs as the group of one. One JSON object per line on rank 0.
/// </summary>
public static class BenchMpi
{
    public static Command Create()
    {
        var rows = new Option<int>("--rows") { Description = "Rows N of the logistic regression (split over the ranks).", DefaultValueFactory = _ => 100_000 };
        var covariates = new Option<int>("--covariates") { Description = "Covariates D.", DefaultValueFactory = _ => 100 };
        var particles = new Option<int>("--particles") { Description = "ELBO particles S per step.", DefaultValueFactory = _ => 8 };
        var steps = new Option<int>("--steps") { Description = "Timed SVI steps (after 20 untimed).", DefaultValueFactory = _ => 200 };
        var schools = new Option<int>("--schools") { Description = "Schools J of the block-guide eight-schools workload (split over the ranks; 0 skips it).", DefaultValueFactory = _ => 0 };
        var command = new Command("mpi", "Time MPI_Allreduce and data-parallel SVI steps (JSON lines; run under mpirun).") { rows, covariates, particles, steps, schools };
        command.SetAction(pr =>
        {
            int n = pr.GetValue(rows), d = pr.GetValue(covariates), s = pr.GetValue(particles), k = pr.GetValue(steps);
            if (n < 1 || d < 1 || s < 1 || k < 1) { Console.Error.WriteLine("bench mpi: --rows, --covariates, --particles and --steps must be positive."); return 2; }
            using var mpi = MpiCommunicator.IsLaunchedByMpirun ? MpiCommunicator.Initialize() : null;
            ICommunicator communicator = mpi is null ? SingleProcessCommunicator.Instance : mpi;
            var output = communicator.Rank == 0 ? Console.Out : TextWriter.Null;
            if (communicator.Size > 1) TimeAllreduce(communicator, output);
            TimeSvi(communicator, n, d, s, k, output);
            if (pr.GetValue(schools) is > 0 and int j) TimeBlockGuide(communicator, j, s, k, output);
            mpi?.Barrier();
            return 0;
        });
        return command;
    }

    private static void TimeAllreduce(ICommunicator communicator, TextWriter output)
    {
        for (int length = 1; length <= 1 << 20; length *= 4)
        {
            var buffer = new double[length];
            int repeats = Math.Max(5, Math.Min(1000, (1 << 22) / length));
            for (int i = 0; i < 3; i++) communicator.AllreduceSum(buffer);
            communicator.Barrier();
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < repeats; i++) communicator.AllreduceSum(buffer);
            double seconds = clock.Elapsed.TotalSeconds / repeats;
            output.WriteLine(FormattableString.Invariant(
                $"{{\"workload\":\"allreduce\",\"ranks\":{communicator.Size},\"doubles\":{length},\"bytes\":{8L * length},\"microseconds\":{seconds * 1e6:F2},\"gigabytes_per_second\":{8.0 * length / seconds / 1e9:F3}}}"));
        }
    }

    private static void TimeSvi(ICommunicator communicator, int n, int d, int s, int steps, TextWriter output)
    {
        var share = RowRange.Share(n, communicator.Rank, communicator.Size);
        // rows drawn from a stream keyed by the global row index: the data do not depend on the number of ranks
        var x = new double[share.Count * d];
        var y = new double[share.Count];
        var key = new RandomKey(20261201);
        var row = new double[d + 1];
        for (int i = 0; i < share.Count; i++)
        {
            Sample.Uniform(key.Child(share.Start + i), row);
            double eta = 0.3;
            for (int j = 0; j < d; j++) { x[i * d + j] = 4 * row[j] - 2; eta += x[i * d + j] * (j % 2 == 0 ? 0.2 : -0.1); }
            y[i] = row[d] < 1 / (1 + Math.Exp(-eta)) ? 1 : 0;
        }
        var data = StanData.FromValues([new("N", share.Count), new("D", d), new("X", Tensors.Tensor.FromArray(x, share.Count, d)), new("y", y)], "synthetic logistic regression");
        var program = new LogisticRegression().BindShard(data, share, communicator);
        var guide = VariationalFamilies.MeanField.Create(program, new FamilyOptions());
        var svi = new Svi(program, guide, new Adam(0.01), new Elbo(s));
        double perStep = SecondsPerStep(svi, communicator, steps);
        var stats = communicator.Statistics;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"workload\":\"svi_logistic\",\"ranks\":{communicator.Size},\"rows\":{n},\"covariates\":{d},\"particles\":{s},\"steps\":{steps},\"seconds_per_step\":{perStep:G4},\"allreduce_seconds_per_step\":{stats.Seconds / steps:G4},\"allreduces_per_step\":{(double)stats.Allreduces / steps:G4},\"bytes_per_step\":{(double)stats.AllreducedBytes / steps:G6},\"compute_seconds_per_row_step\":{(perStep - stats.Seconds / steps) / share.Count:G4}}}"));
    }

    /// <summary>Seconds per SVI step over <paramref name="steps"/> steps after 20 warm-up steps, with the communicator's
    /// statistics reset after a barrier so that they cover the timed steps only.</summary>
    private static double SecondsPerStep(Svi svi, ICommunicator communicator, int steps)
    {
        var root = new RandomKey(1);
        for (int i = 0; i < 20; i++) svi.Step(new RandomStream(root.Child(i)));
        communicator.Barrier();
        communicator.Statistics.Reset();
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < steps; i++) svi.Step(new RandomStream(root.Child(20 + i)));
        return clock.Elapsed.TotalSeconds / steps;
    }

    private static void TimeBlockGuide(ICommunicator communicator, int schools, int s, int steps, TextWriter output)
    {
        var share = RowRange.Share(schools, communicator.Rank, communicator.Size);
        var y = new double[share.Count];
        var sigma = new double[share.Count];
        var key = new RandomKey(20261202);
        var row = new double[2];
        for (int i = 0; i < share.Count; i++)
        {
            Sample.Uniform(key.Child(share.Start + i), row);
            sigma[i] = 8 + 10 * row[0];
            y[i] = 8 + sigma[i] * (row[1] - 0.5);
        }
        var yTensor = Tensors.Tensor.FromArray(y, share.Count);
        var sigmaTensor = Tensors.Tensor.FromArray(sigma, share.Count);
        Action program = () => EightSchools.Program(yTensor, sigmaTensor, share, communicator);
        var family = new BlockFamily(VariationalFamilies.MeanField, ["theta_trans", "theta"], share, communicator);
        var guide = family.Create(program, new FamilyOptions());
        var store = new Modeling.ParamStore();
        var svi = new Svi(program, guide, new Adam(0.01), new Elbo(s), store);
        double perStep = SecondsPerStep(svi, communicator, steps);
        var stats = communicator.Statistics;
        long held = store.Unconstrained.Sum(p => (long)p.Value.Count);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{{\"workload\":\"svi_eight_schools_block\",\"ranks\":{communicator.Size},\"schools\":{schools},\"particles\":{s},\"steps\":{steps},\"seconds_per_step\":{perStep:G4},\"allreduce_seconds_per_step\":{stats.Seconds / steps:G4},\"allreduces_per_step\":{(double)stats.Allreduces / steps:G4},\"bytes_per_step\":{(double)stats.AllreducedBytes / steps:G6},\"parameter_values_on_rank_0\":{held}}}"));
    }
}
