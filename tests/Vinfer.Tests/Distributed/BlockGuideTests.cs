using System.Text.RegularExpressions;
using Vinfer.Data;
using Vinfer.Tests.Cli;
using Xunit;

namespace Vinfer.Tests.Distributed;

/// <summary>
/// Eight schools with its schools split over ranks and fitted with a block guide (the global latents' family on every
/// rank, a mean-field block over each rank's own schools on that rank only): on P = 1, 2, 4 ranks every summary figure
/// and every draw equals the single-process fit of the same guide (<c>--block-guide</c>) to 1e-10; each rank's
/// parameter store holds the global parameters and its own block only; a checkpoint taken on 2 ranks resumes on 4 and
/// 1 and finishes as the uninterrupted single-process fit; an error every rank meets is printed once.
/// </summary>
public class BlockGuideTests : CliTestFolder
{
    private string Out(string name) => Path.Combine(Folder, name);

    /// <summary>J schools with effects and standard errors drawn from a fixed generator.</summary>
    private string Schools(int schools, string name = "schools.json", double sigmaSign = 1)
    {
        var random = new System.Random(20261201 + schools);
        var y = new double[schools];
        var sigma = new double[schools];
        for (int j = 0; j < schools; j++)
        {
            sigma[j] = sigmaSign * Math.Round(8 + 10 * random.NextDouble(), 3);
            y[j] = Math.Round(8 + 6 * (random.NextDouble() - 0.5) + Math.Abs(sigma[j]) * (random.NextDouble() - 0.5), 3);
        }
        return Write(name, StanData.FromValues([new("J", schools), new("y", y), new("sigma", sigma)]).ToJson());
    }

    [Fact]
    public void OneTwoAndFourRanksEqualTheSingleProcessFitOfTheSameGuide()
    {
        // 11 schools: uneven blocks (6 + 5; 3 + 3 + 3 + 2), so a draw keyed by local index or a misplaced block shows
        string data = Schools(11);
        string[] fit = ["fit", "eight_schools", "--data", data, "--seed", "3", "--draws", "200", "-q"];
        var single = ExternalTools.RunVinfer(300, [.. fit, "--block-guide", "--out", Out("single")]);
        Assert.True(single.Code == 0, single.Err);
        foreach (int ranks in new[] { 1, 2, 4 })
        {
            var run = MpiJob.Run(ranks, null, [.. fit, "--distributed", "--out", Out($"ranks{ranks}")]);
            Assert.True(run.Code == 0, run.Out + run.Err);
            MpiJob.AssertSameSummary(Out("single"), Out($"ranks{ranks}"));
            MpiJob.AssertSameDraws(Out("single"), Out($"ranks{ranks}"));
        }
        // the gathered columns are all schools', in order
        string header = File.ReadAllLines(Path.Combine(Out("ranks4"), "draws.csv")).First(l => !l.StartsWith('#'));
        Assert.Contains("theta_trans.11", header.Replace('[', '.').Replace("]", ""), StringComparison.Ordinal);
    }

    [Fact]
    public void EachRankHoldsTheGlobalParametersAndItsOwnSchoolsOnly()
    {
        // 40 schools; mean-field over (mu, tau): 4 global values; each school a location and a scale on its rank
        string data = Schools(40);
        string[] fit = ["fit", "eight_schools", "--data", data, "--seed", "2", "--steps", "50", "--draws", "50", "-q", "--distributed"];
        string twoRanks = "";
        foreach (var (ranks, expected) in new[] { (2, "44, 44"), (4, "24, 24, 24, 24") })
        {
            var run = MpiJob.Run(ranks, null, [.. fit, "--out", Out($"held{ranks}")]);
            Assert.True(run.Code == 0, run.Out + run.Err);
            if (ranks == 2) twoRanks = run.Err;
            Assert.Matches(new Regex("distributed: parameter values held per rank: " + Regex.Escape(expected) + "\\r?\\n"), run.Err);
        }
        // the schools' blocks are not in the allreduces: twice the schools, the same bytes (a few numbers per particle)
        var twice = MpiJob.Run(2, null, [.. fit[..3], Schools(80, "eighty.json"), .. fit[4..], "--out", Out("held80")]);
        Assert.True(twice.Code == 0, twice.Out + twice.Err);
        Assert.Contains("distributed: parameter values held per rank: 84, 84", twice.Err);
        Assert.NotEqual("", AllreducedBytes(twice.Err));
        Assert.Equal(AllreducedBytes(twoRanks), AllreducedBytes(twice.Err));
        // 9 schools on 2 ranks: 5 and 4 own schools
        var uneven = MpiJob.Run(2, null, ["fit", "eight_schools", "--data", Schools(9, "nine.json"), "--steps", "20", "--draws", "20", "-q", "--distributed"]);
        Assert.True(uneven.Code == 0, uneven.Out + uneven.Err);
        Assert.Contains("distributed: parameter values held per rank: 14, 12", uneven.Err);
    }

    private static string AllreducedBytes(string stderr) => Regex.Match(stderr, @"distributed: \d+ ranks, (\d+ allreduces of [0-9.]+ MB)").Groups[1].Value;

    [Fact]
    public void ACheckpointOnTwoRanksResumesOnFourAndOneAndEqualsTheUninterruptedFit()
    {
        string data = Schools(10);
        string[] fit = ["fit", "eight_schools", "--data", data, "--seed", "7", "--draws", "100", "-q", "--steps", "3000", "--checkpoint-every", "100"];
        var single = ExternalTools.RunVinfer(300, [.. fit, "--block-guide", "--out", Out("single")]);
        Assert.True(single.Code == 0, single.Err);
        var killed = MpiJob.RunAndKill(2, (1, Path.Combine(Out("killed"), "checkpoint.json")), [.. fit, "--distributed", "--out", Out("killed")]);
        Assert.NotEqual(0, killed.Code);
        Assert.False(File.Exists(Path.Combine(Out("killed"), "summary.json")), "a killed job left summary.json");
        // the checkpoint holds every school's block, as a single-process fit's does
        var checkpoint = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(Out("killed"), "checkpoint.json")))!;
        var parameters = checkpoint["svi"]!["parameters"]!["params"]!.AsArray();
        var location = parameters.Single(p => (string)p!["name"]! == "BlockGuide.local.loc.theta_trans")!;
        Assert.Equal(10, location["unconstrained"]!.AsArray().Count);
        File.Copy(Path.Combine(Out("killed"), "checkpoint.json"), Path.Combine(Folder, "saved-checkpoint.json"));
        var resumed = MpiJob.Run(4, null, ["fit", "eight_schools", "--resume", Out("killed"), "-q"]);
        Assert.True(resumed.Code == 0, resumed.Out + resumed.Err);
        MpiJob.AssertSameSummary(Out("single"), Out("killed"));
        MpiJob.AssertSameDraws(Out("single"), Out("killed"));
        // the same checkpoint resumed by a job of one rank
        File.Delete(Path.Combine(Out("killed"), "summary.json"));
        File.Delete(Path.Combine(Out("killed"), "draws.csv"));
        File.Copy(Path.Combine(Folder, "saved-checkpoint.json"), Path.Combine(Out("killed"), "checkpoint.json"), overwrite: true);
        var one = MpiJob.Run(1, null, ["fit", "eight_schools", "--resume", Out("killed"), "-q"]);
        Assert.True(one.Code == 0, one.Out + one.Err);
        MpiJob.AssertSameSummary(Out("single"), Out("killed"));
        MpiJob.AssertSameDraws(Out("single"), Out("killed"));
    }

    [Fact]
    public void BadDataOnEveryRankIsPrintedOnceAndEveryRankExitsNonZero()
    {
        string data = Schools(8, "negative.json", sigmaSign: -1);
        var run = MpiJob.Run(4, null, "fit", "eight_schools", "--data", data, "--distributed", "-q");
        Assert.Equal(1, run.Code);
        Assert.Single(Regex.Matches(run.Err, "sigma"));
        Assert.Contains("rank 0 of 4", run.Err);
        // an argument error met before the ranks join: printed by rank 0 only, the job ends non-zero
        var steps = MpiJob.Run(3, null, "fit", "eight_schools", "--data", data, "--distributed", "-q", "--steps", "0");
        Assert.NotEqual(0, steps.Code);
        Assert.Single(Regex.Matches(steps.Err, "--steps is 0"));
    }
}
