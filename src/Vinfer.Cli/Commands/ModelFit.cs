using Vinfer.IO;
using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;
using Vinfer.Cli.Infrastructure;
using Vinfer.Data;
using Vinfer.Diagnostics;
using Vinfer.Guides;
using Vinfer.Inference;
using Vinfer.Models;

namespace Vinfer.Cli.Commands;

/// <summary>
/// <c>vinfer fit MODEL</c> for the built-in models (<see cref="ModelRegistry"/>): ADVI with the chosen family, a
/// progress bar on a terminal (plain lines otherwise), the summary table with PSIS k̂ and its reading, and
/// DIR/summary.json plus DIR/draws.csv (CmdStan's variational layout) written all-or-nothing.
/// </summary>
public static class ModelFit
{
    /// <summary>The variational family.</summary>
    public static readonly Option<string> Family = new("--family") { Description = $"Variational family: {VariationalFamilies.NameList()}.", DefaultValueFactory = _ => VariationalFamilies.MeanField.Name };

    /// <summary>Step limit, or the exact step count when --tol is not given.</summary>
    public static readonly Option<int?> Steps = new("--steps") { Description = "Number of optimization steps (without --tol), or the step limit (with --tol; default 10000)." };

    /// <summary>Monte Carlo particles per step.</summary>
    public static readonly Option<int> Particles = new("--particles") { Description = "Monte Carlo particles per step (drawn in one vectorized pass); svgd: the number of particles (default 100).", DefaultValueFactory = _ => 8 };

    /// <summary>The seed.</summary>
    public static readonly Option<ulong> Seed = new("--seed") { Description = "Random seed (same seed, same result).", DefaultValueFactory = _ => 1UL };

    /// <summary>Posterior draws written and summarized.</summary>
    public static readonly Option<int> Draws = new("--draws") { Description = "Posterior draws for the summary, k̂ and draws.csv.", DefaultValueFactory = _ => 1000 };

    /// <summary>Rank of the low-rank family.</summary>
    public static readonly Option<int> Rank = new("--rank") { Description = "lowrank: rank of the covariance factor.", DefaultValueFactory = _ => 2 };

    /// <summary>Number of flow layers.</summary>
    public static readonly Option<int?> FlowLayers = new("--flow-layers") { Description = "flow, iaf, nsf, planar: number of flow layers (default 4, 2, 4, 8)." };

    /// <summary>Hidden widths of the flows' networks.</summary>
    public static readonly Option<string?> Hidden = new("--hidden") { Description = "flow, iaf, nsf: hidden widths of the conditioner networks, comma-separated (default one layer of max(3d+3, 16))." };

    /// <summary>Steps of the averaging phase after the optimization (0: the last iterate is the fit).</summary>
    public static readonly Option<int?> AverageSteps = new("--average-steps") { Description = "Steps of Polyak-Ruppert iterate averaging at a reduced learning rate after the optimization stops (0: none)." };

    /// <summary>The averaging phase's learning rate relative to the optimization's last rate.</summary>
    public static readonly Option<double?> AverageRateFactor = new("--average-rate-factor") { Description = "Learning rate of the averaging phase relative to the last rate of the optimization, in (0, 1]." };

    /// <summary>The default relative tolerance (Stan's tol_rel_obj).</summary>
    public const double DefaultTolerance = 0.01;

    /// <summary>Adds the options of the generic path to the fit command.</summary>
    public static void AddOptions(Command fit)
    {
        fit.Options.Add(Family);
        fit.Options.Add(FlowLayers);
        fit.Options.Add(Hidden);
        fit.Options.Add(Steps);
        fit.Options.Add(Particles);
        fit.Options.Add(Seed);
        fit.Options.Add(Draws);
        fit.Options.Add(Rank);
        fit.Options.Add(AverageSteps);
        fit.Options.Add(AverageRateFactor);
    }

    /// <summary>Fits the named built-in model; returns the exit code.</summary>
    public static int Run(ParseResult pr, BuiltInModel model)
    {
        try
        {
            return CliError.Guard(pr, () => Fit(pr, model));
        }
        catch (Exception e) when (e is DataFormatException or NotSupportedException or JsonException)
        {
            return CliError.Report(pr, e.Message);
        }
    }

    /// <summary>"64,64" → [64, 64]; each width a positive integer.</summary>
    internal static int[]? ParseHidden(string? text)
    {
        if (text is null) return null;
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var widths = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out widths[i]) || widths[i] <= 0)
                throw new ArgumentException($"--hidden is '{text}': every width must be a positive integer, got '{parts[i]}'.");
        return widths;
    }

    private static int Fit(ParseResult pr, BuiltInModel model)
    {
        string familyName = pr.GetValue(Family)!;
        if (!VariationalFamilies.TryGet(familyName, out var family))
            throw new ArgumentException($"--family '{familyName}' is not one of {string.Join(", ", VariationalFamilies.Names)}.");
        bool svgd = family is SvgdFamily;
        int? flowLayers = pr.GetValue(FlowLayers);
        if (flowLayers is < 1) throw new ArgumentException($"--flow-layers is {flowLayers}, expected at least 1.");
        var hidden = ParseHidden(pr.GetValue(Hidden));
        int? steps = pr.GetValue(Steps);
        var tolResult = pr.GetResult(FitCommand.Tolerance);
        bool tolGiven = tolResult is not null && !tolResult.Implicit;
        double? tolerance = tolGiven ? pr.GetValue(FitCommand.Tolerance) : steps is null && !svgd ? DefaultTolerance : null;
        if (steps is < 1) throw new ArgumentException($"--steps is {steps}, expected at least 1.");
        if (tolerance is { } t && !(t > 0 && t < 1)) throw new ArgumentException($"--tol is {t}, expected a number in (0, 1).");
        var particlesResult = pr.GetResult(Particles);
        bool particlesGiven = particlesResult is not null && !particlesResult.Implicit;
        int particles = svgd && !particlesGiven ? 100 : pr.GetValue(Particles);
        if (svgd && particles < 2) throw new ArgumentException($"--particles is {particles}, SVGD needs at least 2 particles.");
        if (particles < 1) throw new ArgumentException($"--particles is {particles}, expected at least 1.");
        int draws = pr.GetValue(Draws);
        if (draws < 10) throw new ArgumentException($"--draws is {draws}, expected at least 10.");
        int rank = pr.GetValue(Rank);
        if (rank < 1) throw new ArgumentException($"--rank is {rank}, expected at least 1.");
        string? outDir = pr.GetValue(FitCommand.Output);

        var data = ReadData(pr.GetValue(FitCommand.Data), model);
        var program = model.Bind(data);
        var options = new FitOptions
        {
            Family = family,
            Steps = steps ?? (svgd && !tolGiven ? 1000 : 10_000),
            Tolerance = tolerance,
            Particles = particles,
            Seed = pr.GetValue(Seed),
            Draws = draws,
            Rank = rank,
            FlowLayers = flowLayers,
            Hidden = hidden,
        };
        if (pr.GetValue(AverageSteps) is { } averageSteps)
        {
            if (averageSteps < 0) throw new ArgumentException($"--average-steps is {averageSteps}, expected 0 or more.");
            options = options with { AverageSteps = averageSteps };
        }
        if (pr.GetValue(AverageRateFactor) is { } factor)
        {
            if (!(factor > 0 && factor <= 1)) throw new ArgumentException($"--average-rate-factor is {factor}, expected a number in (0, 1].");
            options = options with { AverageRateFactor = factor };
        }

        var stdout = pr.InvocationConfiguration.Output;
        var stderr = pr.InvocationConfiguration.Error;
        bool terminal = ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected && !Console.IsErrorRedirected;
        FitResult fit = terminal ? FitWithProgressBar(program, options, model.Name) : FitWithPlainProgress(program, options, stderr);

        if (outDir is not null) WriteOutputs(outDir, model.Name, pr.GetValue(Family)!, fit);
        if (terminal) PrintTable(model.Name, pr.GetValue(Family)!, fit);
        else stdout.Write(PlainSummary(model.Name, pr.GetValue(Family)!, fit));
        if (outDir is not null) stdout.WriteLine($"wrote {Path.Combine(outDir, "summary.json")} and {Path.Combine(outDir, "draws.csv")}");
        return 0;
    }

    private static StanData ReadData(string? path, BuiltInModel model)
    {
        if (string.IsNullOrEmpty(path))
            return model.BundledData ?? throw new ArgumentException($"model '{model.Name}' has no bundled data: give --data FILE (Stan data-JSON or CSV).");
        if (!File.Exists(path)) throw new ArgumentException($"--data: file '{path}' does not exist.");
        return Path.GetExtension(path).Equals(".csv", StringComparison.OrdinalIgnoreCase)
            ? model.FromTable(CsvTable.Load(path))
            : StanData.Load(path);
    }

    private static FitResult FitWithPlainProgress(Action program, FitOptions options, TextWriter stderr)
    {
        // A line per convergence evaluation under Stan's rule, ten lines over a fixed-length run.
        int every = options.Tolerance is null ? Math.Max(1, options.Steps / 10) : options.EvalEvery;
        return VariationalFit.Fit(program, options with
        {
            Progress = p =>
            {
                if (p.Step % every == 0)
                    stderr.WriteLine(FormattableString.Invariant($"step {p.Step,6}  elbo {p.Elbo,12:G6}  {p.StepsPerSecond,8:F0} steps/s"));
            },
        });
    }

    private static FitResult FitWithProgressBar(Action program, FitOptions options, string name)
    {
        FitResult? result = null;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(name, maxValue: options.Steps);
                long lastTicks = 0;
                result = VariationalFit.Fit(program, options with
                {
                    Progress = p =>
                    {
                        long now = Environment.TickCount64;
                        if (now - lastTicks < 100 && p.Step != p.MaxSteps) return;
                        lastTicks = now;
                        task.Value = p.Step;
                        task.Description = FormattableString.Invariant($"{name}  step {p.Step}  ELBO {p.Elbo:G5}  {p.StepsPerSecond:F0} steps/s");
                    },
                });
                task.Value = task.MaxValue;
            });
        return result!;
    }

    private static string Header(string model, string family, FitResult fit) => FormattableString.Invariant(
        $"{model}, {family}: {fit.Run.Steps} steps{(fit.Run.Converged ? " (converged)" : "")}, {fit.Seconds:F2} s, ELBO {(double.IsNaN(fit.Elbo) ? "n/a" : fit.Elbo.ToString("G6", CultureInfo.InvariantCulture))}");

    private static string KHatLine(FitResult fit) => fit.KHatNotApplicable
        ? $"k̂: n/a, {fit.ReadingText}"
        : FormattableString.Invariant($"k̂ = {fit.KHat:F2}: {fit.ReadingText}");

    /// <summary>The summary as plain aligned text.</summary>
    internal static string PlainSummary(string model, string family, FitResult fit)
    {
        var sb = new StringBuilder();
        sb.AppendLine(Header(model, family, fit));
        int w = Math.Max(9, fit.Summary.Max(s => s.Name.Length));
        sb.AppendLine($"{"parameter".PadRight(w)} {"mean",10} {"sd",10} {"5%",10} {"50%",10} {"95%",10}");
        foreach (var s in fit.Summary)
            sb.AppendLine(FormattableString.Invariant($"{s.Name.PadRight(w)} {s.Mean,10:G4} {s.Sd,10:G4} {s.Q5,10:G4} {s.Q50,10:G4} {s.Q95,10:G4}"));
        sb.AppendLine(KHatLine(fit));
        if (fit.Run.Recoveries > 0) sb.AppendLine($"note: {fit.Run.Recoveries} restart(s) after non-finite values; final learning rate {fit.Run.LearningRate:G3}");
        return sb.ToString();
    }

    private static void PrintTable(string model, string family, FitResult fit)
    {
        AnsiConsole.WriteLine(Header(model, family, fit));
        var table = new Table().AddColumn("parameter");
        foreach (var c in new[] { "mean", "sd", "5%", "50%", "95%" }) table.AddColumn(new TableColumn(c).RightAligned());
        string F(double v) => v.ToString("G4", CultureInfo.InvariantCulture);
        foreach (var s in fit.Summary) table.AddRow(Markup.Escape(s.Name), F(s.Mean), F(s.Sd), F(s.Q5), F(s.Q50), F(s.Q95));
        AnsiConsole.Write(table);
        string colour = fit.KHatNotApplicable ? "grey" : fit.Reading switch { ParetoKReading.Good => "green", ParetoKReading.Usable => "yellow", _ => "red" };
        AnsiConsole.MarkupLine($"[{colour}]{Markup.Escape(KHatLine(fit))}[/]");
        if (fit.Run.Recoveries > 0) AnsiConsole.MarkupLine($"[yellow]note: {fit.Run.Recoveries} restart(s) after non-finite values[/]");
    }

    /// <summary>summary.json as specified: model, family, elbo, k_hat, steps, seconds, parameters.</summary>
    internal static string SummaryJson(string model, string family, FitResult fit)
    {
        var parameters = new JsonObject();
        foreach (var s in fit.Summary)
            parameters[s.Name] = new JsonObject { ["mean"] = s.Mean, ["sd"] = s.Sd, ["q5"] = s.Q5, ["q50"] = s.Q50, ["q95"] = s.Q95 };
        var root = new JsonObject
        {
            ["model"] = model,
            ["family"] = family,
            ["elbo"] = Finite(fit.Elbo),
            ["k_hat"] = Finite(fit.KHat),
            ["k_hat_reading"] = fit.ReadingText,
            ["steps"] = fit.Run.Steps,
            ["converged"] = fit.Run.Converged,
            ["seconds"] = fit.Seconds,
            ["draws"] = fit.Draws.Count,
            ["parameters"] = parameters,
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }

    private static JsonNode? Finite(double v) => double.IsFinite(v) ? JsonValue.Create(v) : null;

    /// <summary>Writes both files to temporaries first and renames them only when both are complete.</summary>
    private static void WriteOutputs(string dir, string model, string family, FitResult fit)
    {
        if (File.Exists(dir)) throw new IOException($"--out: '{dir}' is a file, not a folder.");
        Directory.CreateDirectory(dir);
        string drawsTemp = Path.Combine(dir, $".draws.csv.{Guid.NewGuid():N}.tmp");
        try
        {
            var d = fit.Draws;
            var means = fit.Summary.Select(s => s.Mean).ToArray();
            CmdStanCsvWriter.WriteVariational(drawsTemp, d.Names, means, d.Values, d.LogP, d.LogQ,
                [new("model", model), new("algorithm", family), new("steps", fit.Run.Steps.ToString(CultureInfo.InvariantCulture))]);
            AtomicFile.WriteAllText(Path.Combine(dir, "summary.json"), SummaryJson(model, family, fit));
            File.Move(drawsTemp, Path.Combine(dir, "draws.csv"), overwrite: true);
        }
        finally
        {
            if (File.Exists(drawsTemp)) File.Delete(drawsTemp);
        }
    }
}
