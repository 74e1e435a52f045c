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
using Vinfer.Modeling.Handlers;

namespace Vinfer.Cli.Commands;

/// <summary>
/// <c>vinfer fit MODEL</c> for the built-in models (<see cref="ModelRegistry"/>): ADVI with the chosen family, a
/// progress bar on a terminal (plain lines otherwise), the summary table with PSIS k̂ and its reading, and
/// DIR/summary.json plus DIR/draws.csv (CmdStan's variational layout) written all-or-nothing.
/// </summary>
public static class ModelFit
{
    /// <summary>The variational family.</summary>
    public static readonly Option<string> Family = new("--family") { Description = $"Variational family: {VariationalFamilies.NameList()}; or auto (meanfield, lowrank, fullrank, iaf until k̂ < 0.7).", DefaultValueFactory = _ => VariationalFamilies.MeanField.Name };

    /// <summary>Step limit, or the exact step count when --tol is not given.</summary>
    public static readonly Option<int?> Steps = new("--steps") { Description = "Number of optimization steps (without --tol), or the step limit (with --tol; default 10000)." };

    /// <summary>Monte Carlo particles per step.</summary>
    public static readonly Option<int> Particles = new("--particles") { Description = "Monte Carlo particles per step (drawn in one vectorized pass); svgd: the number of particles (default 100).", DefaultValueFactory = _ => 8 };

    /// <summary>The seed.</summary>
    public static readonly Option<ulong> Seed = new("--seed") { Description = "Random seed (same seed, same result).", DefaultValueFactory = _ => 1UL };

    /// <summary>Posterior draws written and summarized.</summary>
    public static readonly Option<int> Draws = new("--draws") { Description = "Posterior draws for the summary, k̂ and draws.csv (default 1000, topped up to 4000 when PSIS reweighting moves a mean beyond its Monte Carlo error; given: exactly this many).", DefaultValueFactory = _ => 1000 };

    /// <summary>Rank of the low-rank family.</summary>
    public static readonly Option<int> Rank = new("--rank") { Description = "lowrank: rank of the covariance factor.", DefaultValueFactory = _ => 2 };

    /// <summary>Number of flow layers.</summary>
    public static readonly Option<int?> FlowLayers = new("--flow-layers") { Description = "flow, iaf, nsf, planar: number of flow layers (default 4, 2, 4, 8)." };

    /// <summary>Hidden widths of the flows' networks.</summary>
    public static readonly Option<string?> Hidden = new("--hidden") { Description = "flow, iaf, nsf: hidden widths of the conditioner networks, comma-separated (default one layer of max(3d+3, 16))." };

    /// <summary>IAF: the upper clamp of each layer's log-scale.</summary>
    public static readonly Option<double?> MaxLogScale = new("--max-log-scale") { Description = "iaf: upper clamp of each layer's log-scale s in y = x·exp(s) + mu (default 3, Pyro's); a funnel's scales need more (docs/flows.md)." };

    /// <summary>Flow families: a Student-t base.</summary>
    public static readonly Option<double?> BaseDf = new("--base-df") { Description = "flow, iaf, nsf, planar: a Student-t base with these initial degrees of freedom, learned per coordinate (default: a Gaussian base)." };

    /// <summary>--max-log-scale and --base-df, checked: null when absent; an error naming the value when out of range or given with a family they do not apply to.</summary>
    private static (double? MaxLogScale, double? BaseDf) FlowTailOptions(ParseResult pr, VariationalFamily family)
    {
        double? clamp = pr.GetValue(MaxLogScale), df = pr.GetValue(BaseDf);
        string Text(double v) => v.ToString("G", CultureInfo.InvariantCulture);
        if (clamp is { } c)
        {
            if (family is not FlowFamily { Settings.Kind: FlowKind.Iaf })
                throw new ArgumentException($"--max-log-scale {Text(c)} applies only to --family iaf.");
            CheckMaxLogScale(c);
        }
        if (df is { } nu)
        {
            if (family is not FlowFamily)
                throw new ArgumentException($"--base-df {Text(nu)} applies only to the flow families (flow, iaf, nsf, planar).");
            CheckBaseDf(nu);
        }
        return (clamp, df);
    }

    /// <summary>A --max-log-scale value: finite and above the layers' lower clamp, else one error naming it.</summary>
    internal static void CheckMaxLogScale(double value)
    {
        const double minimum = Vinfer.Flows.AffineAutoregressiveModule.MinimumLogScale;
        if (!(double.IsFinite(value) && value > minimum))
            throw new ArgumentException(FormattableString.Invariant($"--max-log-scale is {value:G}, expected a finite number above the minimum log-scale {minimum:G}."));
    }

    /// <summary>A --base-df value: finite and positive, else one error naming it.</summary>
    internal static void CheckBaseDf(double value)
    {
        if (!(double.IsFinite(value) && value > 0))
            throw new ArgumentException(FormattableString.Invariant($"--base-df is {value:G}, expected a finite number of degrees of freedom above 0."));
    }

    /// <summary>SVGD: the annealed steps of annealed SVGD.</summary>
    public static readonly Option<int?> Anneal = new("--anneal") { Description = "svgd: annealed SVGD (D'Angelo & Fortuin 2021): the target's pull rises from 0 to 1 over this many first steps (default 0: plain SVGD)." };

    /// <summary>SVGD: the Stein kernel.</summary>
    public static readonly Option<string?> Kernel = new("--kernel") { Description = "svgd: the Stein kernel, rbf (Gaussian, median heuristic; the default) or imq (inverse multiquadric, heavier tails)." };

    /// <summary>Latent sites to fit in their decentred (non-centred) form.</summary>
    public static readonly Option<string?> Decenter = new("--decenter") { Description = "Comma-separated latent sites x ~ D(loc, scale) of a location-scale family (normal, student-t, cauchy, laplace, logistic, gumbel) to fit as x_decentered ~ D(0, 1) with x = loc + scale * x_decentered (NumPyro's LocScaleReparam, centered = 0); draws.csv and summary.json report both." };

    /// <summary>--kernel as a Stein kernel: null when absent; an error for an unknown name or a family other than svgd.</summary>
    private static SteinKernel? SvgdKernelOption(ParseResult pr, bool svgd)
    {
        string? name = pr.GetValue(Kernel);
        if (name is null) return null;
        if (!svgd) throw new ArgumentException($"--kernel {name} applies only to --family svgd.");
        return name switch
        {
            "rbf" => new RbfSteinKernel(),
            "imq" => new ImqSteinKernel(),
            _ => throw new ArgumentException($"--kernel is '{name}', expected rbf or imq."),
        };
    }

    /// <summary>--decenter as site names: null when absent; an error for an empty or repeated name.</summary>
    internal static string[]? DecenterOption(ParseResult pr)
    {
        string? text = pr.GetValue(Decenter);
        if (text is null) return null;
        var names = text.Split(',', StringSplitOptions.TrimEntries);
        foreach (var n in names)
            if (n.Length == 0) throw new ArgumentException($"--decenter is '{text}': expected comma-separated site names, got an empty name.");
        if (names.Distinct(StringComparer.Ordinal).Count() != names.Length)
            throw new ArgumentException($"--decenter is '{text}': a site is named twice.");
        return names;
    }

    /// <summary>--anneal as a schedule: null when absent or 0; an error for a negative count or a family other than svgd.</summary>
    private static SvgdAnnealing? SvgdAnnealingOption(ParseResult pr, bool svgd)
    {
        int? anneal = pr.GetValue(Anneal);
        if (anneal is null or 0) return null;
        if (anneal < 0) throw new ArgumentException($"--anneal is {anneal}, expected a number of steps, at least 0.");
        if (!svgd) throw new ArgumentException($"--anneal {anneal} applies only to --family svgd.");
        return new SvgdAnnealing(anneal.Value);
    }

    /// <summary>Steps of the averaging phase after the optimization (0: the last iterate is the fit).</summary>
    public static readonly Option<int?> AverageSteps = new("--average-steps") { Description = "Steps of Polyak-Ruppert iterate averaging at a reduced learning rate after the optimization stops (0: none; default 300, none after full-rank's natural-gradient steps unless given)." };

    /// <summary>The averaging phase's learning rate relative to the optimization's last rate.</summary>
    public static readonly Option<double?> AverageRateFactor = new("--average-rate-factor") { Description = "Learning rate of the averaging phase relative to the last rate of the optimization, in (0, 1]." };


    /// <summary>alpha-moments: the damping of the mean-parameter update.</summary>
    public static readonly Option<double?> Damping = new("--damping") { Description = "alpha-moments: damping in (0, 1], the fraction of the way each update moves the moments (default 0.5)." };

    /// <summary>alpha-moments: draws per update.</summary>
    public static readonly Option<int?> Samples = new("--samples") { Description = "alpha-moments: draws from the guide per update, at least 2 (default 256)." };

    /// <summary>The default relative tolerance (Stan's tol_rel_obj).</summary>
    public const double DefaultTolerance = 0.01;

    /// <summary>Adds the options of the generic path to the fit command.</summary>
    public static void AddOptions(Command fit)
    {
        fit.Options.Add(Family);
        fit.Options.Add(FlowLayers);
        fit.Options.Add(Anneal);
        fit.Options.Add(Kernel);
        fit.Options.Add(Decenter);
        fit.Options.Add(MaxLogScale);
        fit.Options.Add(BaseDf);
        fit.Options.Add(Hidden);
        fit.Options.Add(Steps);
        fit.Options.Add(Particles);
        fit.Options.Add(Seed);
        fit.Options.Add(Draws);
        fit.Options.Add(Rank);
        fit.Options.Add(AverageSteps);
        fit.Options.Add(AverageRateFactor);
        ObjectiveOptions.AddOptions(fit);
        fit.Options.Add(Damping);
        fit.Options.Add(Samples);
        PathfinderFitCommand.AddOptions(fit);
        VerdictOptions.AddOptions(fit);
        ModelFitSettings.AddOptions(fit);
        FitCheckpointing.AddOptions(fit);
        FitArtifacts.AddOptions(fit);
        DistributedFit.AddOptions(fit);
    }

    /// <summary>Fits the named built-in model; returns the exit code.</summary>
    public static int Run(ParseResult pr, BuiltInModel model)
    {
        try
        {
            return DistributedFit.Run(pr, () => CliError.Guard(pr, () => Fit(pr, model)));
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
        if (FitCheckpointing.RunStoredCommand(pr, model.Name) is { } resumedExitCode) return resumedExitCode;
        string method = pr.GetValue(FitCommand.Method) ?? "advi";
        if (method is "em" or "vem" or "structured")
            throw new ArgumentException($"--method '{method}' applies only to the ar1 model; model '{model.Name}' takes advi or alpha-moments.");
        if (method != "advi") DistributedFit.RejectFor(pr, $"--method {method}");
        if (method != "advi" && pr.GetResult(Decenter) is { Implicit: false })
            throw new ArgumentException($"--decenter applies only to --method advi (any family), not to --method {method}.");
        if (method == "pathfinder") return PathfinderFitCommand.Fit(pr, model);
        if (method is not ("advi" or "alpha-moments"))
            throw new ArgumentException($"--method '{method}' is not one of advi, alpha-moments, pathfinder (for model '{model.Name}').");
        var start = PathfinderFitCommand.ReadInit(pr);
        bool alphaMoments = method == "alpha-moments";
        if (!alphaMoments)
            foreach (var o in new Option[] { Damping, Samples })
                if (pr.GetResult(o) is { Implicit: false }) throw new ArgumentException($"{o.Name} applies only to --method alpha-moments.");
        if (alphaMoments)
            foreach (var o in new Option[] { Particles, Rank, AverageRateFactor, ModelFitSettings.LearningRate, ModelFitSettings.MinParticles, PathfinderFitCommand.Init })
                if (pr.GetResult(o) is { Implicit: false }) throw new ArgumentException($"{o.Name} does not apply to --method alpha-moments.");
        string familyName = pr.GetValue(Family)!;
        bool auto = familyName == VerdictOptions.AutoFamily && !alphaMoments;
        if (auto) familyName = VariationalFamilies.MeanField.Name;
        int restarts = VerdictOptions.RestartCount(pr);
        if (!VariationalFamilies.TryGet(familyName, out var family))
            throw new ArgumentException($"--family '{familyName}' is not one of {string.Join(", ", VariationalFamilies.Names)}{(alphaMoments ? "" : $" or {VerdictOptions.AutoFamily}")}.");
        bool svgd = family is SvgdFamily;
        int? flowLayers = pr.GetValue(FlowLayers);
        if (flowLayers is < 1) throw new ArgumentException($"--flow-layers is {flowLayers}, expected at least 1.");
        var hidden = ParseHidden(pr.GetValue(Hidden));
        var annealing = SvgdAnnealingOption(pr, svgd);
        var kernel = SvgdKernelOption(pr, svgd);
        var decenter = DecenterOption(pr);
        var (maxLogScale, baseDf) = FlowTailOptions(pr, family);
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
        string? outDir = pr.GetValue(FitCommand.Output);
        if (alphaMoments)
        {
            foreach (var o in new Option[] { ObjectiveOptions.Objective, ObjectiveOptions.ImportanceSamples, ObjectiveOptions.Estimator })
                if (pr.GetResult(o) is { Implicit: false }) throw new ArgumentException($"{o.Name} does not apply to --method alpha-moments.");
            FitCheckpointing.RejectFor(pr, "--method alpha-moments");
            return FitAlphaMoments(pr, model, family, steps, tolGiven ? tolerance : null, draws, outDir);
        }
        var choice = ObjectiveOptions.Build(pr, particlesGiven ? particles : null, family.IsPointEstimate);
        int rank = pr.GetValue(Rank);
        if (rank < 1) throw new ArgumentException($"--rank is {rank}, expected at least 1.");

        // the names are checked by tracing the model once, which a sharded program would do in every rank's collectives
        if (decenter is not null) DistributedFit.RejectFor(pr, "--decenter");
        var program = DistributedFit.Bind(pr, model) ?? model.Bind(ReadData(pr.GetValue(FitCommand.Data), model));
        if (decenter is not null) program = LocScaleReparamMessenger.Decenter(program, decenter, "--decenter");
        var options = new FitOptions
        {
            Family = family,
            Steps = steps ?? (svgd && !tolGiven ? 1000 : 10_000),
            Tolerance = tolerance,
            Particles = particles,
            Seed = pr.GetValue(Seed),
            Draws = draws,
            // --draws given: exactly that many draws; by default PSIS's draws are topped up where it corrects the guide
            PsisDraws = pr.GetResult(Draws) is { Implicit: false } ? draws : new FitOptions().PsisDraws,
            Rank = rank,
            Objective = choice.Objective,
            Estimator = choice.Estimator,
            FlowLayers = flowLayers,
            Hidden = hidden,
            MaximumLogScale = maxLogScale,
            BaseDegreesOfFreedom = baseDf,
            SvgdAnnealing = annealing,
            SvgdKernel = kernel,
            Initialization = start.Start,
            InitialRadius = start.Radius,
            InitialValues = start.Values,
            Restarts = restarts,
        };
        if (pr.GetValue(AverageSteps) is { } averageSteps)
        {
            if (averageSteps < 0) throw new ArgumentException($"--average-steps is {averageSteps}, expected 0 or more.");
            options = options with { AverageSteps = averageSteps, AverageNaturalGradient = true };
        }
        if (pr.GetValue(AverageRateFactor) is { } factor)
        {
            if (!(factor > 0 && factor <= 1)) throw new ArgumentException($"--average-rate-factor is {factor}, expected a number in (0, 1].");
            options = options with { AverageRateFactor = factor };
        }
        options = ModelFitSettings.Apply(pr, options, program);

        if (svgd) FitCheckpointing.RejectFor(pr, "--family svgd");
        options = DistributedFit.Adjust(FitCheckpointing.Apply(pr, options, outDir));
        FitArtifacts.Check(pr, outDir);
        var stdout = pr.InvocationConfiguration.Output;
        var stderr = pr.InvocationConfiguration.Error;
        if (choice.Note is not null) stderr.WriteLine(choice.Note);
        bool terminal = ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected && !Console.IsErrorRedirected;
        FitResult fit = !ModelFitSettings.ShowProgress(pr) || !DistributedFit.IsLeader ? VerdictOptions.Fit(program, options, auto) : terminal
            ? FitProgress.Run(progress => VerdictOptions.Fit(program, options with { Progress = progress }, auto), options.Steps, options.Tolerance, options.AverageSteps, model.Name, "ELBO")
            : FitWithPlainProgress(progress => VerdictOptions.Fit(program, options with { Progress = progress }, auto),
                options.Tolerance is null ? Math.Max(1, options.Steps / 10) : options.EvalEvery, stderr, "elbo");
        DistributedFit.ReportStore(pr, fit);
        return Report(pr, model, fit, outDir, terminal, choice.Description, metadata: VerdictOptions.Metadata(pr, fit, particles));
    }

    /// <summary>
    /// <c>--method alpha-moments</c>: the monotonic alpha-divergence updates (<see cref="AlphaMomentsFit"/>) with the
    /// Gaussian family asked, reported and written exactly as an ADVI fit, plus the method's settings.
    /// </summary>
    private static int FitAlphaMoments(ParseResult pr, BuiltInModel model, VariationalFamily family, int? steps, double? tolerance, int draws, string? outDir)
    {
        if (family != VariationalFamily.MeanField && family != VariationalFamily.FullRank)
            throw new ArgumentException($"--family '{pr.GetValue(Family)}' does not apply to --method alpha-moments; it takes meanfield or fullrank.");
        var defaults = new AlphaMomentsOptions();
        double alpha = pr.GetValue(ObjectiveOptions.Alpha) ?? defaults.Alpha;
        if (!double.IsFinite(alpha) || alpha < 0 || alpha >= 1)
            throw new ArgumentException($"--alpha is {alpha.ToString(CultureInfo.InvariantCulture)}, expected a finite number in [0, 1) (the updates decrease D_alpha only there; alpha = 1 is the ELBO's KL, where they do not move).");
        double damping = pr.GetValue(Damping) ?? defaults.Damping;
        if (!(damping > 0 && damping <= 1)) throw new ArgumentException($"--damping is {damping.ToString(CultureInfo.InvariantCulture)}, expected a number in (0, 1].");
        int samples = pr.GetValue(Samples) ?? defaults.Samples;
        if (samples < 2) throw new ArgumentException($"--samples is {samples}, expected at least 2 (self-normalized weights need two draws).");
        int averageSteps = pr.GetValue(AverageSteps) ?? defaults.AverageSteps;
        if (averageSteps < 0) throw new ArgumentException($"--average-steps is {averageSteps}, expected 0 or more.");
        var options = new AlphaMomentsOptions
        {
            Family = family,
            Alpha = alpha,
            Damping = damping,
            Samples = samples,
            Steps = steps ?? (tolerance is null ? defaults.Steps : 10_000),
            Tolerance = tolerance,
            AverageSteps = averageSteps,
            Draws = draws,
            Seed = pr.GetValue(Seed),
        };
        ModelFitSettings.ApplyThreads(pr);
        var data = ReadData(pr.GetValue(FitCommand.Data), model);
        var program = model.Bind(data);
        var stdout = pr.InvocationConfiguration.Output;
        bool terminal = ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected && !Console.IsErrorRedirected;
        FitResult fit = !ModelFitSettings.ShowProgress(pr) ? AlphaMomentsFit.Fit(program, options) : terminal
            ? FitProgress.Run(progress => AlphaMomentsFit.Fit(program, options with { Progress = progress }), options.Steps, options.Tolerance, options.AverageSteps, model.Name, "Rényi bound")
            : FitWithPlainProgress(progress => AlphaMomentsFit.Fit(program, options with { Progress = progress }),
                options.Tolerance is null ? Math.Max(1, options.Steps / 10) : options.EvalEvery, pr.InvocationConfiguration.Error, "renyi-bound");
        return Report(pr, model, fit, outDir, terminal, new JsonObject { ["name"] = "alpha-divergence", ["alpha"] = alpha });
    }

    internal static int Report(ParseResult pr, BuiltInModel model, FitResult fit, string? outDir, bool terminal, JsonObject objective, string? familyLabel = null, JsonObject? metadata = null)
    {
        var stdout = pr.InvocationConfiguration.Output;
        string family = familyLabel ?? pr.GetValue(Family)!;
        if (!DistributedFit.IsLeader) return VerdictOptions.ExitCode(pr, fit, TextWriter.Null);
        if (outDir is not null)
        {
            WriteOutputs(outDir, model.Name, family, fit, objective, metadata);
            FitArtifacts.Write(pr, model.Name, fit, outDir);
        }
        if (terminal) PrintTable(model.Name, family, fit);
        else stdout.Write(PlainSummary(model.Name, family, fit));
        if (fit.UnscoredDraws > 0)
            pr.InvocationConfiguration.Error.WriteLine($"warning: {fit.UnscoredDraws} guide draw(s) overflowed to a non-finite parameter the model could not score; they are kept with log p = -inf (importance weight 0): see unscored_draws in summary.json");
        if (outDir is not null) stdout.WriteLine($"wrote {Path.Combine(outDir, "summary.json")} and {Path.Combine(outDir, "draws.csv")}");
        return VerdictOptions.ExitCode(pr, fit, pr.InvocationConfiguration.Error);
    }

    internal static StanData ReadData(string? path, BuiltInModel model)
    {
        if (string.IsNullOrEmpty(path))
            return model.BundledData ?? throw new ArgumentException($"model '{model.Name}' has no bundled data: give --data FILE (Stan data-JSON or CSV).");
        if (!File.Exists(path)) throw new ArgumentException($"--data: file '{path}' does not exist.");
        return ReadFile(path, model);
    }

    /// <summary>A data file by its extension: Parquet or CSV columns for the model's table, else Stan data-JSON.</summary>
    internal static StanData ReadFile(string path, BuiltInModel model)
    {
        string extension = Path.GetExtension(path);
        if (extension.Equals(".parquet", StringComparison.OrdinalIgnoreCase))
            return ManagedCommands.IsSupported ? model.FromTable(ParquetTable.Load(path)) : throw ManagedCommands.NotInNativeBuild("reading Parquet");
        return extension.Equals(".csv", StringComparison.OrdinalIgnoreCase) ? model.FromTable(CsvTable.Load(path)) : StanData.Load(path);
    }

    /// <summary>A line every <paramref name="every"/> steps (a convergence evaluation under Stan's rule, ten lines over a fixed-length run).</summary>
    private static FitResult FitWithPlainProgress(Func<Action<SviProgress>, FitResult> fit, int every, TextWriter stderr, string objective) =>
        fit(p =>
        {
            if (p.Step % every == 0)
                stderr.WriteLine(FormattableString.Invariant($"step {p.Step,6}  {objective} {p.Elbo,12:G6}  {p.StepsPerSecond,8:F0} steps/s"));
        });

    private static string Header(string model, string family, FitResult fit) => fit.AlphaMoments is { } a
        ? FormattableString.Invariant(
            $"{model}, {family}, alpha-moments (alpha {a.Alpha:G4}, damping {a.Damping:G3}, {a.Samples} samples): {fit.Run.Steps} updates{VerdictOptions.StopNote(fit)} + {a.AverageSteps} averaged, {fit.Seconds:F2} s, ELBO {fit.Elbo:G6}, Rényi bound {a.RenyiBounds.LastOrDefault(double.NaN):G6}, ESS {a.EffectiveSampleSizes.LastOrDefault(double.NaN):F0}/{a.Samples}")
        : FormattableString.Invariant(
            $"{model}, {family}: {fit.Run.Steps} steps{VerdictOptions.StopNote(fit)}, {fit.Seconds:F2} s, ELBO {(double.IsNaN(fit.Elbo) ? "n/a" : fit.Elbo.ToString("G6", CultureInfo.InvariantCulture))}");

    /// <summary>Which moments the table shows, and why (<see cref="ReportedMoments"/>).</summary>
    internal static string MomentsLine(FitResult fit) => $"moments: {fit.Reported.Reason}";

    private static string KHatLine(FitResult fit) => fit.KHatNotApplicable
        ? $"k̂: n/a, {fit.ReadingText}"
        : FormattableString.Invariant($"k̂ = {fit.KHat:F2}: {fit.ReadingText}");

    private static string? EvidenceLine(FitResult fit) => fit.Evidence is { } e
        ? FormattableString.Invariant($"log evidence: ELBO {e.Elbo:G6} <= IWAE(K={e.IwaeSamples}) {e.Iwae:G6} <= log p(x) <= CUBO {e.Cubo:G6}")
            + (fit.ImportanceResampled is { } k ? $"; draws importance-resampled (1 of {k})" : "")
        : null;

    /// <summary>The summary as plain aligned text.</summary>
    internal static string PlainSummary(string model, string family, FitResult fit)
    {
        var sb = new StringBuilder();
        sb.AppendLine(Header(model, family, fit));
        int w = Math.Max(9, fit.Summary.Max(s => s.Name.Length));
        sb.AppendLine($"{"parameter".PadRight(w)} {"mean",10} {"sd",10} {"5%",10} {"50%",10} {"95%",10}");
        foreach (var s in fit.Reported.Summary)
            sb.AppendLine(FormattableString.Invariant($"{s.Name.PadRight(w)} {s.Mean,10:G4} {s.Sd,10:G4} {s.Q5,10:G4} {s.Q50,10:G4} {s.Q95,10:G4}"));
        sb.AppendLine(MomentsLine(fit));
        sb.AppendLine(KHatLine(fit));
        if (PathfinderFitCommand.StartLine(fit) is { } start) sb.AppendLine(start);
        foreach (var verdictLine in VerdictOptions.ScreenLines(fit)) sb.AppendLine(verdictLine);
        if (EvidenceLine(fit) is { } line) sb.AppendLine(line);
        if (fit.Run.Recoveries > 0) sb.AppendLine($"note: {fit.Run.Recoveries} restart(s) after non-finite values; final {(fit.AlphaMoments is null ? "learning rate" : "damping")} {fit.Run.LearningRate:G3}");
        return sb.ToString();
    }

    private static void PrintTable(string model, string family, FitResult fit)
    {
        AnsiConsole.WriteLine(Header(model, family, fit));
        var table = new Table().AddColumn("parameter");
        foreach (var c in new[] { "mean", "sd", "5%", "50%", "95%" }) table.AddColumn(new TableColumn(c).RightAligned());
        string F(double v) => v.ToString("G4", CultureInfo.InvariantCulture);
        foreach (var s in fit.Reported.Summary) table.AddRow(Markup.Escape(s.Name), F(s.Mean), F(s.Sd), F(s.Q5), F(s.Q50), F(s.Q95));
        AnsiConsole.Write(table);
        AnsiConsole.WriteLine(MomentsLine(fit));
        string colour = fit.KHatNotApplicable ? "grey" : fit.Reading switch { ParetoKReading.Good => "green", ParetoKReading.Usable => "yellow", _ => "red" };
        AnsiConsole.MarkupLine($"[{colour}]{Markup.Escape(KHatLine(fit))}[/]");
        if (PathfinderFitCommand.StartLine(fit) is { } start) AnsiConsole.WriteLine(start);
        foreach (var verdictLine in VerdictOptions.ScreenLines(fit)) AnsiConsole.WriteLine(verdictLine);
        if (EvidenceLine(fit) is { } line) AnsiConsole.WriteLine(line);
        if (fit.Run.Recoveries > 0) AnsiConsole.MarkupLine($"[yellow]note: {fit.Run.Recoveries} restart(s) after non-finite values[/]");
    }

    /// <summary>
    /// summary.json as specified: model, family, objective, elbo, log_evidence {elbo, iwae {value, k}, cubo}, k_hat,
    /// steps, seconds, draws and how they were made (guide draws or importance-resampled), parameters.
    /// </summary>
    internal static string SummaryJson(string model, string family, FitResult fit, JsonObject? objective = null, JsonObject? metadata = null)
    {
        // "parameters" holds the reported moments (PSIS-reweighted when k̂ allows, "moments" says which); "guide_parameters" the draws' own
        static JsonObject Rows(IEnumerable<PosteriorSummary> rows)
        {
            var o = new JsonObject();
            foreach (var s in rows) o[s.Name] = new JsonObject { ["mean"] = s.Mean, ["sd"] = s.Sd, ["q5"] = s.Q5, ["q50"] = s.Q50, ["q95"] = s.Q95 };
            return o;
        }
        var parameters = Rows(fit.Reported.Summary);
        var root = new JsonObject
        {
            ["model"] = model,
            ["family"] = family,
            ["moments"] = fit.Reported.Source,
            ["moments_reason"] = fit.Reported.Reason,
            ["objective"] = objective ?? new JsonObject { ["name"] = "elbo" },
            ["method"] = fit.Method,
            ["elbo"] = Finite(fit.Elbo),
            ["log_evidence"] = fit.Evidence is { } ev
                ? new JsonObject
                {
                    ["elbo"] = Finite(ev.Elbo),
                    ["iwae"] = new JsonObject { ["value"] = Finite(ev.Iwae), ["k"] = ev.IwaeSamples },
                    ["cubo"] = Finite(ev.Cubo),
                }
                : null,
            ["k_hat"] = Finite(fit.KHat),
            ["k_hat_reading"] = fit.ReadingText,
            ["steps"] = fit.Run.Steps,
            // "converged" would read as "the answer is right"; what fired is only the optimizer's stopping rule,
            // and whether the fit can be trusted is the verdict's "trust" (docs/fit-verdict.md)
            ["stopped_by"] = VerdictOptions.StoppedBy(fit),
            ["seconds"] = fit.Seconds,
            ["phases"] = FitArtifacts.PhasesJson(fit),
            ["draws"] = fit.Draws.Count,
            ["draws_method"] = fit.PathfinderFit ? PathfinderFitCommand.DrawsMethod(fit)
                : fit.ImportanceResampled is { } k ? $"importance-resampled: one kept per {k} guide draws (the importance-weighted posterior)" : "guide draws",
            ["parameters"] = parameters,
            ["guide_parameters"] = Rows(fit.Summary),
        };
        // only when it happened, so the summaries of ordinary fits keep their keys
        if (fit.UnscoredDraws > 0) root["unscored_draws"] = fit.UnscoredDraws;
        root["settings"] = FitSettingsRecord.Json(fit);
        if (PathfinderFitCommand.Summary(fit) is { } pathfinder) root["pathfinder"] = pathfinder;
        if (fit.AlphaMoments is { } a)
            root["alpha_moments"] = new JsonObject
            {
                ["alpha"] = a.Alpha,
                ["damping"] = a.Damping,
                ["samples"] = a.Samples,
                ["average_steps"] = a.AverageSteps,
                ["renyi_bound"] = Finite(a.RenyiBounds.LastOrDefault(double.NaN)),
                ["effective_sample_size"] = Finite(a.EffectiveSampleSizes.LastOrDefault(double.NaN)),
                ["min_effective_sample_size"] = Finite(a.EffectiveSampleSizes.DefaultIfEmpty(double.NaN).Min()),
            };
        VerdictOptions.AddToSummary(root, fit, metadata);
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }

    private static JsonNode? Finite(double v) => double.IsFinite(v) ? JsonValue.Create(v) : null;

    /// <summary>Writes both files to temporaries first and renames them only when both are complete.</summary>
    private static void WriteOutputs(string dir, string model, string family, FitResult fit, JsonObject objective, JsonObject? metadata)
    {
        if (File.Exists(dir)) throw new IOException($"--out: '{dir}' is a file, not a folder.");
        Directory.CreateDirectory(dir);
        AtomicFile.RemoveStaleTemporaries(dir);
        string drawsTemp = AtomicFile.TemporaryPath(Path.Combine(dir, "draws.csv"));
        try
        {
            var d = fit.Draws;
            var means = ApproximationMean.Compute(fit.Guide.Latents, d);
            CmdStanCsvWriter.WriteVariational(drawsTemp, d.Names, means, d.Values, d.LogP, d.LogQ, FitArtifacts.CsvSettings(model, family, fit));
            AtomicFile.WriteAllText(Path.Combine(dir, "summary.json"), SummaryJson(model, family, fit, objective, metadata));
            File.Move(drawsTemp, Path.Combine(dir, "draws.csv"), overwrite: true);
        }
        finally
        {
            if (File.Exists(drawsTemp)) File.Delete(drawsTemp);
        }
    }
}
