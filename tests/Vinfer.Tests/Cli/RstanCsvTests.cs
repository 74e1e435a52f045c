using System.Globalization;
using System.Text.Json.Nodes;
using Xunit;

namespace Vinfer.Tests.Cli;

/// <summary>
/// draws.csv as R users read Stan output: <c>rstan::read_stan_csv</c> (then <c>summary</c>, which failed on the
/// earlier header) and the posterior package (<c>as_draws_df</c>, <c>summarise_draws</c>) give the means of
/// summary.json, and rstan drops the mean row (it knows the draw count from <c>output_samples</c>).
/// </summary>
public class RstanCsvTests : CliTestFolder
{
    [RequiresProgramFact("Rscript", "r-cran-rstan r-cran-posterior")]
    public void RstanAndPosteriorReadDrawsCsvWithTheSummarysMeans()
    {
        string dir = Path.Combine(Folder, "fit");
        Assert.Equal(0, Run("fit", "eight_schools", "--steps", "400", "--draws", "250", "--out", dir).Code);
        string script = Write("read.R", """
            args <- commandArgs(trailingOnly = TRUE)
            suppressPackageStartupMessages({ library(rstan); library(posterior) })
            fit <- suppressWarnings(rstan::read_stan_csv(args[1]))
            s <- summary(fit)$summary
            cat("rstan_draws", nrow(as.matrix(fit)), "\n")
            for (v in c("mu", "tau", "theta[1]")) cat("rstan", v, sprintf("%.17g", s[v, "mean"]), "\n")
            d <- posterior::as_draws_df(read.csv(args[1], comment.char = "#")[-1, -(1:3)])
            ps <- posterior::summarise_draws(d, "mean")
            for (i in seq_len(nrow(ps))) cat("posterior", ps$variable[i], sprintf("%.17g", ps$mean[i]), "\n")
            """);
        var (code, output, err) = ExternalTools.Run(300, "Rscript", script, Path.Combine(dir, "draws.csv"));
        Assert.True(code == 0, err);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        Assert.Equal("250", lines.Single(l => l[0] == "rstan_draws")[1]);
        // draws.csv holds the guide's draws: their plain means are summary.json's guide_parameters ("parameters" may be PSIS-reweighted)
        var parameters = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")))!["guide_parameters"]!;
        foreach (var (reader, name, column) in new[] { ("rstan", "mu", "mu"), ("rstan", "tau", "tau"), ("rstan", "theta[1]", "theta[1]"), ("posterior", "mu", "mu"), ("posterior", "tau", "tau"), ("posterior", "theta[1]", "theta.1") })
        {
            double expected = (double)parameters[name]!["mean"]!;
            double read = double.Parse(lines.Single(l => l[0] == reader && l[1] == column)[2], CultureInfo.InvariantCulture);
            // R averages the same 250 doubles read back from shortest round-trip text: equal up to summation order
            Assert.True(Math.Abs(expected - read) <= 1e-12 * (1 + Math.Abs(expected)), $"{reader} {name}: {read} against {expected}");
        }
    }
}
