using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Vinfer.Experiments.Posteriordb;
using Xunit;

namespace Vinfer.Tests.Cli;

/// <summary>
/// <c>vinfer report DIR</c> and <c>fit --report</c>: one self-contained HTML page whose every figure renders in a
/// real browser (headless Chromium), with the ELBO trace, the verdict, the marginals with the reference overlaid and
/// the pair plot.
/// </summary>
public class ReportCommandTests : CliTestFolder
{
    /// <summary>A fit's folder whose summary.json also has an ELBO trace and a verdict object (as newer fits write them).</summary>
    private string FitWithTraceAndVerdict()
    {
        string dir = Path.Combine(Folder, "fit");
        Assert.Equal(0, Run("fit", "eight_schools", "--steps", "400", "--draws", "300", "--out", dir).Code);
        string path = Path.Combine(dir, "summary.json");
        var summary = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        var trace = new JsonArray();
        for (int step = 1; step <= 400; step++) trace.Add(new JsonObject { ["step"] = step, ["elbo"] = -31.5 - 200.0 / step });
        summary["elbo_trace"] = trace;
        summary["verdict"] = new JsonObject { ["trustworthy"] = true, ["reason"] = "k̂ 0.33 below 0.5 & converged" };
        File.WriteAllText(path, summary.ToJsonString());
        return dir;
    }

    private static string Reference => Path.Combine(PosteriordbFiles.RequireDirectory(), "eight_schools-eight_schools_noncentered", "reference.json");

    [Fact]
    public void ThePageIsSelfContainedAndHasEveryPart()
    {
        string dir = FitWithTraceAndVerdict();
        var (code, output, err) = Run("report", dir, "--reference", Reference);
        Assert.True(code == 0, err);
        string html = File.ReadAllText(Path.Combine(dir, "report.html"));
        Assert.Contains("wrote", output);
        Assert.Contains("id=\"elbo-trace\"", html);
        Assert.DoesNotContain("no-elbo-trace", html);
        Assert.Contains("<th>trustworthy</th><td>true</td>", html);
        // the header says which rule stopped the optimizer and the trust, never a bare "(converged)"
        Assert.Contains("400 steps (stopped at the step limit; verdict: ", html);
        Assert.Contains("k̂ 0.33 below 0.5 &amp; converged", html);
        Assert.Contains("PSIS k̂ = ", html);
        Assert.Contains("reference mean", html);
        // one marginal per draws.csv column (18 for eight_schools), a 4×4 pair plot with 10 figures
        Assert.Equal(18, Regex.Matches(html, "id=\"marginal-\\d+\"").Count);
        Assert.Equal(10, Regex.Matches(html, "id=\"pair-\\d+-\\d+\"").Count);
        // self-contained: every image is inline, nothing is fetched
        Assert.All(Regex.Matches(html, "<img [^>]*src=\"([^\"]*)\"").Select(m => m.Groups[1].Value), src => Assert.StartsWith("data:image/png;base64,", src));
        Assert.DoesNotContain("<link", html);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("http://", html);
    }

    [Fact]
    public void WithoutAnElboTraceOrVerdictThePageSaysSo()
    {
        string dir = Path.Combine(Folder, "plain");
        var (code, _, err) = Run("fit", "eight_schools", "--steps", "300", "--draws", "100", "--out", dir);
        Assert.True(code == 0, err);
        // an older summary.json (written before fits recorded their trace and verdict)
        string summaryPath = Path.Combine(dir, "summary.json");
        var summary = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(summaryPath))!.AsObject();
        summary.Remove("elbo_trace");
        summary.Remove("verdict");
        summary.Remove("trust");
        summary.Remove("stopped_by");
        summary["converged"] = true;
        File.WriteAllText(summaryPath, summary.ToJsonString());
        (code, var output, err) = Run("report", dir);
        Assert.True(code == 0, err);
        Assert.Contains("report.html", output);
        string html = File.ReadAllText(Path.Combine(dir, "report.html"));
        Assert.Contains("id=\"no-elbo-trace\"", html);
        Assert.DoesNotContain("id=\"verdict\"", html);
        Assert.Contains("id=\"khat\"", html);
        Assert.Contains("300 steps (stopped by the convergence rule), ELBO", html);
    }

    [Fact]
    public void BadInputsAreRefusedWithTheirNames()
    {
        var (code, _, err) = Run("report", Path.Combine(Folder, "missing"));
        Assert.Equal(1, code);
        Assert.Contains("is not a folder", err);
        (code, _, err) = Run("report", Folder);
        Assert.Equal(1, code);
        Assert.Contains("summary.json' does not exist", err);
        (code, _, err) = Run("fit", "eight_schools", "--report");
        Assert.Equal(1, code);
        Assert.Contains("--report needs --out", err);
    }

    [RequiresProgramFact("chromium", "chromium")]
    public void EveryFigureRendersInHeadlessChromium()
    {
        string dir = FitWithTraceAndVerdict();
        Assert.Equal(0, Run("report", dir, "--reference", Reference).Code);
        string page = File.ReadAllText(Path.Combine(dir, "report.html"));
        // a copy with a probe that records load errors and, after loading, each image's decoded width
        const string probe = """
            <script>window.__errors=[];window.addEventListener('error',function(e){window.__errors.push(String(e.message||(e.target&&e.target.id)||'error'))},true);
            window.addEventListener('load',function(){var imgs=[].slice.call(document.images);var bad=imgs.filter(function(i){return !(i.complete&&i.naturalWidth>0)}).map(function(i){return i.id});
            var d=document.createElement('pre');d.id='vinfer-check';d.textContent='images='+imgs.length+';broken='+bad.length+':'+bad.join(',')+';errors='+window.__errors.length+':'+window.__errors.join('|')+';';document.body.appendChild(d);});</script>
            """;
        string checkedPage = Path.Combine(Folder, "check.html");
        File.WriteAllText(checkedPage, page.Replace("<head>", "<head>" + probe));
        var (code, dom, err) = ExternalTools.Run(120, "chromium", "--headless", "--disable-gpu", "--no-sandbox", "--virtual-time-budget=5000", "--dump-dom", new Uri(checkedPage).AbsoluteUri);
        Assert.True(code == 0, err);
        var check = Regex.Match(dom, "id=\"vinfer-check\">([^<]*)<");
        Assert.True(check.Success, $"the page did not finish loading: {dom[..Math.Min(dom.Length, 400)]}");
        Assert.Equal($"images={Regex.Matches(page, "<img ").Count};broken=0:;errors=0:;", check.Groups[1].Value);
    }
}
