using Vinfer.Data;
using Vinfer.Models;
using Vinfer.Tests.Cli;
using Xunit;

namespace Vinfer.Tests.Distributed;

/// <summary>
/// <c>mpirun -np P vinfer fit MODEL --data FILE --distributed</c> against the single-process fit of the same data and
/// seed: the same steps and convergence, every summary figure and every draw to 1e-10 relative; a rank that dies ends
/// the job without output and the checkpoint resumes on another number of ranks; bad inputs get one message each.
/// </summary>
public class DistributedFitTests : CliTestFolder
{
    private string LogisticData(int rows, int covariates, string name = "logistic.json")
    {
        var random = new System.Random(20261201);
        var x = new double[rows, covariates];
        var y = new int[rows];
        for (int n = 0; n < rows; n++)
        {
            double eta = 0.3;
            for (int d = 0; d < covariates; d++)
            {
                x[n, d] = Math.Round(random.NextDouble() * 4 - 2, 6);
                eta += x[n, d] * (d % 2 == 0 ? -0.7 : 0.5);
            }
            y[n] = random.NextDouble() < 1 / (1 + Math.Exp(-eta)) ? 1 : 0;
        }
        return Write(name, StanData.FromValues([new("N", rows), new("D", covariates), new("X", x), new("y", y)]).ToJson());
    }

    private string Out(string name) => Path.Combine(Folder, name);

    [Fact]
    public void LogisticRegressionOnTwoAndFourRanksEqualsTheSingleProcessFit()
    {
        string data = LogisticData(600, 3);
        string[] fit = ["fit", "logistic_regression", "--data", data, "--seed", "5", "--draws", "200", "-q"];
        var single = ExternalTools.RunVinfer(300, [.. fit, "--out", Out("single")]);
        Assert.True(single.Code == 0, single.Err);
        foreach (int ranks in new[] { 2, 4 })
        {
            var run = MpiJob.Run(ranks, null, [.. fit, "--distributed", "--out", Out($"ranks{ranks}")]);
            Assert.True(run.Code == 0, run.Out + run.Err);
            Assert.Contains($"distributed: {ranks} ranks", run.Err);
            Assert.Single(System.Text.RegularExpressions.Regex.Matches(run.Out, "logistic_regression, meanfield"));
            MpiJob.AssertSameSummary(Out("single"), Out($"ranks{ranks}"));
            MpiJob.AssertSameDraws(Out("single"), Out($"ranks{ranks}"));
        }
    }

    [Fact]
    public void ARankThatDiesEndsTheJobWithoutOutputAndTheCheckpointResumesOnOtherRanks()
    {
        string data = LogisticData(400, 2);
        string[] fit = ["fit", "logistic_regression", "--data", data, "--seed", "9", "--draws", "100", "-q", "--steps", "3000", "--checkpoint-every", "100"];
        var single = ExternalTools.RunVinfer(300, [.. fit, "--out", Out("single")]);
        Assert.True(single.Code == 0, single.Err);
        // rank 1 is SIGKILLed from outside as soon as the first checkpoint exists (step 100 of 3000)
        var killed = MpiJob.RunAndKill(2, (1, Path.Combine(Out("killed"), "checkpoint.json")), [.. fit, "--distributed", "--out", Out("killed")]);
        Assert.NotEqual(0, killed.Code);
        Assert.Contains("rank 1", killed.Out + killed.Err);
        Assert.Contains("signal 9", killed.Out + killed.Err);
        Assert.False(File.Exists(Path.Combine(Out("killed"), "summary.json")), "a killed job left summary.json");
        Assert.False(File.Exists(Path.Combine(Out("killed"), "draws.csv")), "a killed job left draws.csv");
        Assert.True(File.Exists(Path.Combine(Out("killed"), "checkpoint.json")), killed.Err);
        var resumed = MpiJob.Run(4, null, ["fit", "logistic_regression", "--resume", Out("killed"), "-q"]);
        Assert.True(resumed.Code == 0, resumed.Out + resumed.Err);
        MpiJob.AssertSameSummary(Out("single"), Out("killed"));
    }

    [Fact]
    public void GaussianMixtureCaviAndSviOverRanksEqualTheSingleProcessFit()
    {
        var random = new System.Random(7);
        var csv = new System.Text.StringBuilder("x,y,label\n");
        double[][] centers = [[0, 0], [4, 1], [1, 5]];
        for (int i = 0; i < 601; i++)
        {
            int c = i % 3;
            double u = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())), t = 2 * Math.PI * random.NextDouble();
            csv.Append(System.FormattableString.Invariant($"{centers[c][0] + u * Math.Cos(t):F6},{centers[c][1] + 0.7 * u * Math.Sin(t):F6},{c}\n"));
        }
        string data = Write("points.csv", csv.ToString());
        string[] fit = ["fit", "gmm", "--data", data, "--components", "4", "--seed", "2"];
        var single = ExternalTools.RunVinfer(300, [.. fit, "--out", Out("single")]);
        Assert.True(single.Code == 0, single.Err);
        foreach (int ranks in new[] { 2, 3 })
        {
            var run = MpiJob.Run(ranks, null, [.. fit, "--distributed", "--out", Out($"ranks{ranks}")]);
            Assert.True(run.Code == 0, run.Out + run.Err);
            MpiJob.AssertSameJson(Path.Combine(Out("single"), "summary.json"), Path.Combine(Out($"ranks{ranks}"), "summary.json"));
            Assert.Equal(File.ReadAllText(Path.Combine(Out("single"), "assignments.csv")), File.ReadAllText(Path.Combine(Out($"ranks{ranks}"), "assignments.csv")));
        }
        // natural-gradient SVI: the same global minibatches, each rank's E-step on the points it owns, one allreduce
        string[] svi = [.. fit, "--method", "svi", "--batch-size", "100", "--max-iterations", "20"];
        var singleSvi = ExternalTools.RunVinfer(300, [.. svi, "--out", Out("single-svi")]);
        Assert.True(singleSvi.Code == 0, singleSvi.Err);
        var distributedSvi = MpiJob.Run(2, null, [.. svi, "--distributed", "--out", Out("svi2")]);
        Assert.True(distributedSvi.Code == 0, distributedSvi.Out + distributedSvi.Err);
        MpiJob.AssertSameJson(Path.Combine(Out("single-svi"), "summary.json"), Path.Combine(Out("svi2"), "summary.json"));
    }

    [Fact]
    public void MoreRanksThanRowsIsOneClearError()
    {
        string data = LogisticData(3, 2);
        var run = MpiJob.Run(4, null, "fit", "logistic_regression", "--data", data, "--distributed", "-q");
        Assert.NotEqual(0, run.Code);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(run.Err, "more ranks than rows: 4 ranks for 3 rows"));
        Assert.DoesNotContain("(Parameter", run.Err); // the sentence, not .NET's argument-name suffix
    }

    [Fact]
    public void ShardsOfUnequalWidthAreOneClearError()
    {
        Directory.CreateDirectory(Out("shards"));
        File.WriteAllText(Path.Combine(Out("shards"), "part0.csv"), "y,a,b\n1,0.5,1\n0,-1,2\n");
        File.WriteAllText(Path.Combine(Out("shards"), "part1.csv"), "y,a\n1,0.5\n0,-1\n");
        var run = MpiJob.Run(2, null, "fit", "logistic_regression", "--shards", Out("shards"), "--distributed", "-q", "--out", Out("o"));
        Assert.NotEqual(0, run.Code);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(run.Err, "shards of unequal width: rank 0 has 3 values per row, rank 1 has 2"));
        Assert.False(Directory.Exists(Out("o")) && Directory.GetFiles(Out("o")).Length > 0);
    }

    [Fact]
    public void ARankThatCannotReadItsShardNamesItselfAndTheReason()
    {
        Directory.CreateDirectory(Out("shards"));
        File.WriteAllText(Path.Combine(Out("shards"), "part0.csv"), "y,a\n1,0.5\n0,-1\n");
        File.WriteAllText(Path.Combine(Out("shards"), "part1.csv"), "y,a\n1,zebra\n0,-1\n");
        var run = MpiJob.Run(2, null, "fit", "logistic_regression", "--shards", Out("shards"), "--distributed", "-q");
        Assert.Equal(1, run.Code);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(run.Err, "rank 1 of 2 cannot use its share of the data: .*zebra"));
    }

    [Fact]
    public void ShardsAndCsvRowBlocksGiveTheSameFitAsTheWholeFile()
    {
        string whole = LogisticData(300, 2);
        var all = StanData.Load(whole);
        Directory.CreateDirectory(Out("shards"));
        File.WriteAllText(Path.Combine(Out("shards"), "a.json"), StanDataRows.Take(all, "N", 0, 100).ToJson());
        File.WriteAllText(Path.Combine(Out("shards"), "b.json"), StanDataRows.Take(all, "N", 100, 200).ToJson());
        string[] fit = ["fit", "logistic_regression", "--seed", "4", "--draws", "100", "-q"];
        var single = ExternalTools.RunVinfer(300, [.. fit, "--data", whole, "--out", Out("single")]);
        Assert.True(single.Code == 0, single.Err);
        var run = MpiJob.Run(2, null, [.. fit, "--shards", Out("shards"), "--distributed", "--out", Out("sharded")]);
        Assert.True(run.Code == 0, run.Out + run.Err);
        MpiJob.AssertSameSummary(Out("single"), Out("sharded"));
        // the same rows as one CSV file, of which each rank parses only its block
        var csv = new System.Text.StringBuilder("y,x1,x2\n");
        var x = all.GetMatrix("X");
        var y = all.GetVector("y");
        for (int r = 0; r < 300; r++)
            csv.Append(System.FormattableString.Invariant($"{y.Span[r]:R},{x.Span[2 * r]:R},{x.Span[2 * r + 1]:R}\n"));
        string csvPath = Write("whole.csv", csv.ToString());
        var fromCsv = MpiJob.Run(2, null, ["fit", "logistic_regression", "--seed", "4", "--draws", "100", "-q", "--data", csvPath, "--distributed", "--out", Out("csv2")]);
        Assert.True(fromCsv.Code == 0, fromCsv.Out + fromCsv.Err);
        MpiJob.AssertSameSummary(Out("single"), Out("csv2"));
    }

    [Fact]
    public async Task EachRankReadsItsOwnParquetRowGroupsAndTheFitEqualsTheSingleProcessFit()
    {
        string path = Out("rows.parquet");
        var fields = new[] { new Parquet.Schema.DataField<double>("y"), new Parquet.Schema.DataField<double>("a"), new Parquet.Schema.DataField<double>("b") };
        var random = new System.Random(11);
        await using (var stream = File.Create(path))
        await using (var writer = await Parquet.ParquetWriter.CreateAsync(new Parquet.Schema.ParquetSchema(fields), stream))
            for (int g = 0; g < 3; g++)
            {
                var columns = new double[3][];
                for (int j = 0; j < 3; j++) columns[j] = new double[100];
                for (int r = 0; r < 100; r++)
                {
                    columns[1][r] = random.NextDouble() * 4 - 2;
                    columns[2][r] = random.NextDouble() * 4 - 2;
                    columns[0][r] = random.NextDouble() < 1 / (1 + Math.Exp(-(0.5 * columns[1][r] - columns[2][r]))) ? 1 : 0;
                }
                using var group = writer.CreateRowGroup();
                for (int j = 0; j < 3; j++) await group.WriteAsync<double>(fields[j], columns[j].AsMemory());
            }
        string[] fit = ["fit", "logistic_regression", "--data", path, "--seed", "6", "--draws", "100", "-q"];
        var single = ExternalTools.RunVinfer(300, [.. fit, "--out", Out("single")]);
        Assert.True(single.Code == 0, single.Err);
        var run = MpiJob.Run(2, null, [.. fit, "--distributed", "--out", Out("parquet2")]);
        Assert.True(run.Code == 0, run.Out + run.Err);
        MpiJob.AssertSameSummary(Out("single"), Out("parquet2"));
        var tooMany = MpiJob.Run(4, null, [.. fit, "--distributed"]);
        Assert.NotEqual(0, tooMany.Code);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(tooMany.Err, "more ranks than row groups: 4 ranks for the 3 row groups"));
    }

    [Fact]
    public void DistributedWithoutMpirunIsOneClearError()
    {
        string data = LogisticData(20, 2);
        var (code, _, err) = Run("fit", "logistic_regression", "--data", data, "--distributed");
        Assert.Equal(1, code);
        Assert.Contains("--distributed: this process was not started by mpirun", err);
    }
}
