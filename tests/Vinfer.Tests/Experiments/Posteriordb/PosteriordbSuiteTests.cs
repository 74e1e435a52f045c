using System.Text.Json.Nodes;
using Vinfer.Diagnostics;
using Vinfer.Experiments.Posteriordb;
using Vinfer.Guides;
using Vinfer.Inference;

namespace Vinfer.Tests.Experiments.Posteriordb;

/// <summary>
/// The posteriordb suite as <c>vinfer experiment posteriordb</c> runs it (issue 13): each row carries the fit's
/// verdict, <c>auto</c> and restarts go through the fit pipeline, a posterior whose fit breaks down gives a row that
/// says why, and the failures the issue names are caught. Seeds are fixed, so every number is deterministic.
/// </summary>
public class PosteriordbSuiteTests
{
    private static readonly PosteriordbAccuracyOptions Short = new() { Steps = 2000, Draws = 2000, Seed = 1 };

    [Fact]
    public void EachRowCarriesTheFitsVerdictIntoTheTables()
    {
        var row = PosteriordbAccuracy.Run("arma-arma11", VariationalFamilies.FullRank, Short);
        Assert.NotNull(row.Verdict);
        Assert.Equal(row.KHat, row.Verdict!.KHat);
        Assert.NotNull(row.Verdict.Stationarity); // the fit pipeline's trace statistic
        Assert.Null(row.Failure);
        var json = JsonNode.Parse(PosteriordbAccuracyReport.ToJson([row], Short))!;
        var written = json["rows"]![0]!;
        Assert.Equal(row.VerdictName, (string?)written["verdict"]);
        Assert.Equal(row.Verdict.Reasons.Count, written["verdict_reasons"]!.AsArray().Count);
        Assert.Equal("vinfer-fit", (string?)json["settings"]!["protocol"]);
        var markdown = PosteriordbAccuracyReport.ToMarkdown([row], Short);
        Assert.Contains($"| {row.VerdictName}", markdown, StringComparison.Ordinal);
    }

    /// <summary>
    /// mesquite's mean-field fit has k̂ ≈ 0.9 (its regression coefficients are correlated), so <c>auto</c> must go on
    /// to a richer family and record the attempts.
    /// </summary>
    [Fact]
    public void AutoEscalatesPastMeanFieldAndRecordsTheAttempts()
    {
        var row = PosteriordbAccuracy.Run("mesquite-logmesquite", PosteriordbAccuracy.AutoFamily, Short);
        Assert.Equal("auto", row.Requested);
        Assert.NotNull(row.Escalation);
        Assert.Equal("meanfield", row.Escalation![0].Family);
        Assert.True(row.Escalation[0].KHat > FamilyEscalation.KHatThreshold, $"mean-field k̂ {row.Escalation[0].KHat:F2}");
        Assert.NotEqual(VariationalFamilies.MeanField, row.Family);
        Assert.Equal(row.Family.Name, row.Escalation.Last(a => a.Family != "(chosen)").Family);
        Assert.Contains("auto → ", PosteriordbAccuracyReport.ToMarkdown([row], Short), StringComparison.Ordinal);
    }

    /// <summary>
    /// Mean-field kilpisjarvi (σ's correlation with the slope is −0.99999) cannot fit: <c>auto</c> must go on to a
    /// richer family (full rank: 0.014 sd off). When Stan's rule read fresh-draw ELBO checks, the mean-field fit ran to
    /// the 10,000-step limit and ended 1.35 sd off with k̂ ≈ 0.68, under 0.7, so only the verdict (PSIS moves σ's mean
    /// far beyond noise) sent <c>auto</c> on; with common-draw checks the rule stops it at 6,100 steps, 3.9 sd off with
    /// k̂ 1.16, which k̂ itself rejects. Either reason must send it on.
    /// </summary>
    [Fact]
    public void AutoDoesNotStopAtAFitTheVerdictRejects()
    {
        var row = PosteriordbAccuracy.Run("kilpisjarvi_mod-kilpisjarvi", PosteriordbAccuracy.AutoFamily, new PosteriordbAccuracyOptions());
        var first = row.Escalation![0];
        Assert.Equal("meanfield", first.Family);
        Assert.Matches("verdict calls it unreliable|≥ 0.7: try a richer family", first.Outcome);
        Assert.NotEqual(VariationalFamilies.MeanField, row.Family);
        Assert.True(row.MaxMeanError < 0.1, $"auto → {row.Family.Name}: {row.MaxMeanError:F3} sd off");
    }

    [Fact]
    public void RestartsAreComparedInTheVerdict()
    {
        var row = PosteriordbAccuracy.Run("gp_pois_regr-gp_regr", VariationalFamilies.MeanField, Short with { Restarts = 2 });
        Assert.Equal(2, row.RestartElbos!.Count);
        Assert.NotNull(row.Verdict!.Restarts);
        Assert.Equal(2, row.Verdict.Restarts!.Elbos.Count);
        Assert.Throws<ArgumentException>(() => PosteriordbAccuracy.Run("gp_pois_regr-gp_regr", VariationalFamilies.MeanField, Short with { Restarts = 2, FixedSteps = true }));
    }

    /// <summary>
    /// A posterior whose log density is −∞ everywhere (one observation of arma11 set to 1e300 squares to ∞) makes SVI
    /// give up; its row says so and the next posterior is still fitted.
    /// </summary>
    [Fact]
    public void AFailedFitGivesARowThatSaysWhyAndTheSuiteGoesOn()
    {
        var source = PosteriordbFiles.RequireDirectory();
        var directory = Directory.CreateTempSubdirectory("vinfer-pdb-broken-");
        try
        {
            foreach (var name in new[] { "arma-arma11", "gp_pois_regr-gp_regr" })
            {
                var to = Directory.CreateDirectory(Path.Combine(directory.FullName, name)).FullName;
                foreach (var file in new[] { "data.json", "reference.json" }) File.Copy(Path.Combine(source, name, file), Path.Combine(to, file));
            }
            var dataPath = Path.Combine(directory.FullName, "arma-arma11", "data.json");
            var data = JsonNode.Parse(File.ReadAllText(dataPath))!;
            data["y"]![5] = 1e300;
            File.WriteAllText(dataPath, data.ToJsonString());

            var rows = PosteriordbAccuracy.RunAll([VariationalFamilies.MeanField], Short with { Steps = 300, Draws = 500 }, directory: directory.FullName);
            Assert.Equal(2, rows.Count);
            Assert.True(rows[0].Failed);
            Assert.Contains("not finite", rows[0].Failure!, StringComparison.Ordinal);
            Assert.Equal("failed", rows[0].VerdictName);
            Assert.False(rows[1].Failed);
            Assert.True(rows[1].MaxMeanError < 0.2, $"gp_regr after a failed row: {rows[1].MaxMeanError:F3}");
            var markdown = PosteriordbAccuracyReport.ToMarkdown(rows, Short);
            Assert.Contains("| arma-arma11 | meanfield | failed: InvalidOperationException", markdown, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>
    /// The failure issue 13 names: mean-field from Pathfinder's start on the centred eight schools (the study's 1000
    /// fixed steps, 2000 draws) is 0.94 sd off on μ with k̂ = 0.69, under 0.7 and under the 0.697 threshold for 2000
    /// draws. PSIS moves μ's mean by 0.69 ± 0.23 of q's sd, a significant and material shift, so the verdict calls
    /// the fit unreliable (before, it was "caution: use the PSIS-reweighted moments", which are themselves 0.58 sd off).
    /// </summary>
    [Fact]
    public void MeanFieldCentredEightSchoolsFromPathfinderIsCalledUnreliable()
    {
        var row = PosteriordbAccuracy.Run("eight_schools-eight_schools_centered", VariationalFamilies.MeanField,
            new PosteriordbAccuracyOptions { Steps = 1000, Particles = 16, Draws = 2000, Seed = 1, FixedSteps = true });
        Assert.True(row.MaxMeanError > PosteriordbAccuracyRow.FailureThreshold, $"max error {row.MaxMeanError:F3}");
        Assert.True(row.KHat < 0.7, $"k̂ {row.KHat:F2}: the case is one k̂ does not flag");
        Assert.Equal(FitTrust.Unreliable, row.Verdict!.Trust);
        Assert.True(row.Verdict.Shift is { Significant: true }, $"shift {row.Verdict.Shift}");
        Assert.False(row.UnflaggedFailure);
    }

    /// <summary>
    /// Flows on arma11 (issue 10): from a unit Gaussian at the origin, draws with |θ| &gt; 1 make the ARMA error
    /// recursion grow like θ²⁰⁰ (ELBO estimates down to −10¹³⁴ in the first steps), whose gradients swamp Adam's
    /// second moments, and every flow diverged (sd ratios 12 to 10⁷). Started from Pathfinder's normal, in its
    /// whitened coordinates, as the Gaussian families are, the IAF fits it.
    /// </summary>
    [Fact]
    public void IafFitsArma11FromThePathfinderStart()
    {
        var row = PosteriordbAccuracy.Run("arma-arma11", "iaf", Short);
        Assert.False(row.Failed, row.Failure);
        Assert.True(row.MaxMeanError < 0.1, $"max error {row.MaxMeanError:F3} ({row.WorstParameter})");
        Assert.True(row.MinSdRatio > 0.8 && row.MaxSdRatio < 1.2, $"sd ratios {row.MinSdRatio:F3}–{row.MaxSdRatio:F3}");
        Assert.True(row.KHat < 0.7, $"k̂ {row.KHat:F2}");
    }
}
