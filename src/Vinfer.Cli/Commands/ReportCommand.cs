using System.CommandLine;
using Vinfer.Cli.Infrastructure;
using Vinfer.Experiments.Reports;
using Vinfer.IO;

namespace Vinfer.Cli.Commands;

/// <summary>
/// <c>vinfer report DIR [--reference FILE] [--out FILE]</c>: writes the fit in DIR as one self-contained HTML page
/// (<see cref="FitReport"/>), DIR/report.html by default.
/// </summary>
public static class ReportCommand
{
    /// <summary>The report's file name inside the fit's folder.</summary>
    public const string FileName = "report.html";

    /// <summary>The command.</summary>
    public static Command Create()
    {
        var dir = new Argument<string>("dir") { Description = "Output folder of a fit (summary.json and draws.csv)." };
        var reference = new Option<string?>("--reference") { Description = "A posteriordb reference.json whose means and 5–95% intervals are overlaid on the marginals." };
        var output = new Option<string?>("--out") { Description = "The HTML file to write (default DIR/report.html)." };
        var command = new Command("report", "Write a fit's HTML report: ELBO trace, k̂ and verdict, marginals, pair plot.") { dir, reference, output };
        command.SetAction(pr => CliError.Guard(pr, () =>
        {
            string page = WriteReport(pr.GetValue(dir)!, pr.GetValue(reference), pr.GetValue(output));
            pr.InvocationConfiguration.Output.WriteLine($"wrote {page}");
            return 0;
        }));
        return command;
    }

    /// <summary>Writes the report of the fit in <paramref name="dir"/>; returns the page's path.</summary>
    public static string WriteReport(string dir, string? reference, string? output = null)
    {
        if (!Directory.Exists(dir)) throw new ArgumentException($"'{dir}' is not a folder: give the --out folder of a fit.");
        output ??= Path.Combine(dir, FileName);
        string html;
        try
        {
            html = FitReport.Build(dir, reference);
        }
        catch (FileNotFoundException e)
        {
            throw new ArgumentException(e.Message);
        }
        AtomicFile.WriteAllText(output, html);
        return output;
    }
}
