using Vinfer.IO;
using System.CommandLine;
using System.Globalization;
using Vinfer.Cli.Infrastructure;

using Vinfer.Experiments.Ar1;

namespace Vinfer.Cli.Commands;

/// <summary><c>vinfer experiment …</c>: reproducible studies that write their results to a folder; one subcommand per study.</summary>
public static class ExperimentCommand
{
    public static Command Create()
    {
        var experiment = new Command("experiment", "Run a reproducible study and write its results to a folder.");
        experiment.Subcommands.Add(CreateAr1());
        experiment.Subcommands.Add(PosteriordbExperiment.Create());
        experiment.Subcommands.Add(PathfinderExperiment.Create());
        experiment.Subcommands.Add(IwSnrExperiment.Create());
        experiment.Subcommands.Add(ObjectivesExperiment.Create());
        experiment.Subcommands.Add(GcviToyExperiment.Create());
        experiment.Subcommands.Add(AmortizationExperiment.Create());
        experiment.Subcommands.Add(GcviClusteringExperiment.Create());
        experiment.Subcommands.Add(GcviRotatedMnistExperiment.Create());
        experiment.Subcommands.Add(VaeExperimentCommand.Create());
        experiment.Subcommands.Add(CreateTargets());
        return experiment;
    }

    private static Command CreateTargets()
    {
        var output = new Option<string>("--out") { Description = "Output folder for targets.md.", Required = true };
        var families = new Option<string?>("--families") { Description = "Comma-separated families (default flow,iaf,planar,svgd)." };
        var targets = new Option<string?>("--targets") { Description = "Comma-separated targets: funnel, banana, gaussian_ring, two_moons (default all)." };
        var steps = new Option<int>("--steps") { Description = "SVI steps per flow fit.", DefaultValueFactory = _ => 10_000 };
        var svgdSteps = new Option<int>("--svgd-steps") { Description = "SVGD steps.", DefaultValueFactory = _ => 3000 };
        var seed = new Option<ulong>("--seed") { Description = "Seed.", DefaultValueFactory = _ => 1UL };
        var objective = new Option<string>("--objective") { Description = "Flow fits: elbo, or iwae (K = --particles, gradient by --estimator; the guide's own draws are scored).", DefaultValueFactory = _ => "elbo" };
        var particles = new Option<int>("--particles") { Description = "Flow fits: particles per step (elbo) or K (iwae).", DefaultValueFactory = _ => 8 };
        var estimates = new Option<int>("--estimates") { Description = "iwae: K-sample estimates averaged per step.", DefaultValueFactory = _ => 1 };
        var draws = new Option<int>("--draws") { Description = "Flow fits: draws scored against the exact ones.", DefaultValueFactory = _ => Vinfer.Experiments.Targets.TargetStudy.Draws };
        var estimator = new Option<string?>("--estimator") { Description = "iwae: the gradient estimator, reparam (default), dreg or stl (dreg and stl need a flow with a differentiable inverse: not planar)." };
        var command = new Command("targets", "Flow guides and SVGD against exact draws of the funnel, banana, 8-Gaussian ring and two moons.")
        {
            output, families, targets, steps, svgdSteps, seed, objective, particles, estimates, estimator, draws, ModelFit.FlowLayers, ModelFit.Hidden, ModelFit.MaxLogScale, ModelFit.BaseDf,
        };
        command.SetAction(pr => CliError.Guard(pr, () =>
        {
            var names = (pr.GetValue(families) ?? "flow,iaf,planar,svgd").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var list = names.Select(n => Vinfer.Guides.VariationalFamilies.TryGet(n, out var f) && !(f.IsPointEstimate && f is not Vinfer.Guides.SvgdFamily) ? f
                : throw new ArgumentException($"--families: '{n}' is not a family with a density or particles (one of {string.Join(", ", Vinfer.Guides.VariationalFamilies.Names.Where(x => x != "map"))}).")).ToList();
            if (pr.GetValue(steps) < 1) throw new ArgumentException($"--steps is {pr.GetValue(steps)}, expected at least 1.");
            if (pr.GetValue(svgdSteps) < 1) throw new ArgumentException($"--svgd-steps is {pr.GetValue(svgdSteps)}, expected at least 1.");
            string objectiveName = pr.GetValue(objective)!;
            if (objectiveName is not ("elbo" or "iwae")) throw new ArgumentException($"--objective is '{objectiveName}', expected elbo or iwae.");
            if (pr.GetValue(particles) < 1) throw new ArgumentException($"--particles is {pr.GetValue(particles)}, expected at least 1.");
            if (pr.GetValue(estimates) < 1) throw new ArgumentException($"--estimates is {pr.GetValue(estimates)}, expected at least 1.");
            if (pr.GetValue(estimates) > 1 && objectiveName != "iwae") throw new ArgumentException($"--estimates {pr.GetValue(estimates)} applies only to --objective iwae.");
            string? estimatorName = pr.GetValue(estimator);
            if (estimatorName is not null && objectiveName != "iwae") throw new ArgumentException($"--estimator {estimatorName} applies only to --objective iwae.");
            var gradient = estimatorName switch
            {
                null or "reparam" => Vinfer.Objectives.GradientEstimator.Reparameterized,
                "dreg" => Vinfer.Objectives.GradientEstimator.DoublyReparameterized,
                "stl" => Vinfer.Objectives.GradientEstimator.StickingTheLanding,
                _ => throw new ArgumentException($"--estimator is '{estimatorName}', expected reparam, dreg or stl."),
            };
            if (gradient != Vinfer.Objectives.GradientEstimator.Reparameterized && list.FirstOrDefault(f => f is not Vinfer.Guides.SvgdFamily && !f.SupportsStickingTheLanding) is { } bad)
                throw new ArgumentException($"--estimator {estimatorName} re-scores draws with detached guide parameters, which the {bad.Name} family cannot do: {bad.WhyNoStickingTheLanding}.");
            if (pr.GetValue(draws) < 10) throw new ArgumentException($"--draws is {pr.GetValue(draws)}, expected at least 10.");
            int? flowLayers = pr.GetValue(ModelFit.FlowLayers);
            if (flowLayers is < 1) throw new ArgumentException($"--flow-layers is {flowLayers}, expected at least 1.");
            double? clamp = pr.GetValue(ModelFit.MaxLogScale);
            if (clamp is { } c)
            {
                if (!list.Any(f => f is Vinfer.Guides.FlowFamily { Settings.Kind: Vinfer.Guides.FlowKind.Iaf }))
                    throw new ArgumentException($"--max-log-scale {c.ToString("G", CultureInfo.InvariantCulture)} applies only to the iaf family, which --families does not include.");
                ModelFit.CheckMaxLogScale(c);
            }
            double? baseDf = pr.GetValue(ModelFit.BaseDf);
            if (baseDf is { } nu) ModelFit.CheckBaseDf(nu);
            var targetNames = pr.GetValue(targets)?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var known = Vinfer.Experiments.Targets.TargetStudy.Targets().Select(t => t.Name).ToArray();
            foreach (var t in targetNames ?? [])
                if (!known.Contains(t)) throw new ArgumentException($"--targets: '{t}' is not one of {string.Join(", ", known)}.");
            var settings = new Vinfer.Experiments.Targets.TargetStudySettings
            {
                Steps = pr.GetValue(steps),
                SvgdSteps = pr.GetValue(svgdSteps),
                Seed = pr.GetValue(seed),
                Targets = targetNames,
                Iwae = objectiveName == "iwae",
                Particles = pr.GetValue(particles),
                Estimates = pr.GetValue(estimates),
                Estimator = gradient,
                Draws = pr.GetValue(draws),
                FlowLayers = flowLayers,
                Hidden = ModelFit.ParseHidden(pr.GetValue(ModelFit.Hidden)),
                MaximumLogScale = clamp,
                BaseDegreesOfFreedom = baseDf,
            };
            var stdout = pr.InvocationConfiguration.Output;
            var rows = Vinfer.Experiments.Targets.TargetStudy.Run(list, settings, line => stdout.WriteLine(line));
            string directory = pr.GetValue(output)!;
            AtomicFile.WriteAll([(Path.Combine(directory, "targets.md"), Vinfer.Experiments.Targets.TargetStudy.ToMarkdown(rows))]);
            return 0;
        }));
        return command;
    }

    private static Command CreateAr1()
    {
        var budget = new Option<double?>("--budget-seconds") { Description = "Algorithm time per experiment in seconds (default 10; 0.05 with --quick)." };
        var repetitions = new Option<int?>("--repetitions") { Description = "Repetitions per experiment (default 20; 3 with --quick)." };
        var output = new Option<string>("--out") { Description = "Output folder for results.json, boxplots.md and the SVG figures.", Required = true };
        var quick = new Option<bool>("--quick") { Description = "Smoke-run preset: short budget, few repetitions, iterations 2, 8, 32." };
        var seed = new Option<int>("--seed") { Description = "Seed of the data and the random initializations.", DefaultValueFactory = _ => 2025 };
        var methods = new Option<string?>("--methods") { Description = "Comma-separated methods among em, vem, structured (default em,vem)." };
        var lengths = new Option<string?>("--lengths") { Description = "Comma-separated series lengths (default 500,1024)." };
        var iterations = new Option<string?>("--iterations") { Description = "Comma-separated iterations per run (default 2,4,8,16,32,64; 2,8,32 with --quick)." };
        var command = new Command("ar1", "EM vs mean-field VEM on AR(1)-plus-noise data (Bertholom & Roueff 2025, Fig. 1).")
        {
            budget, repetitions, output, quick, seed, methods, lengths, iterations,
        };
        command.SetAction(pr => CliError.Guard(pr, () =>
        {
            var options = pr.GetValue(quick) ? Ar1StudyOptions.Quick : new Ar1StudyOptions();
            options = options with { Seed = pr.GetValue(seed) };
            if (pr.GetValue(budget) is double b) options = options with { BudgetSeconds = b };
            if (pr.GetValue(repetitions) is int r) options = options with { Repetitions = r };
            if (pr.GetValue(methods) is string m) options = options with { Methods = m.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) };
            if (pr.GetValue(lengths) is string l) options = options with { Lengths = ParseIntegers(l, "--lengths") };
            if (pr.GetValue(iterations) is string k) options = options with { IterationCounts = ParseIntegers(k, "--iterations") };
            options.Validate();
            string directory = pr.GetValue(output)!;

            var stdout = pr.InvocationConfiguration.Output;
            var result = Ar1Study.Run(options, line => stdout.WriteLine(line));
            var files = new List<(string, string)>
            {
                (Path.Combine(directory, "results.json"), Ar1StudyReport.ToJson(result)),
                (Path.Combine(directory, "boxplots.md"), Ar1StudyReport.ToMarkdown(result)),
            };
            foreach (int t in options.Lengths)
                files.Add((Path.Combine(directory, $"boxplot-T{t}.svg"), Ar1StudyReport.ToSvg(result, t)));
            AtomicFile.WriteAll(files);

            foreach (int t in options.Lengths)
            {
                if (options.Methods.Contains("em") && options.Methods.Contains("vem"))
                    stdout.WriteLine(FormattableString.Invariant($"T={t}: per-iteration cost EM/VEM = {result.CostRatio(t, "em", "vem"):F2}"));
                var vem = result.Datasets.First(d => d.Length == t).ConvergedFits.First(f => f.Method == "vem");
                stdout.WriteLine(FormattableString.Invariant($"T={t}: converged VEM gap log p − ELBO = {vem.VariationalGap:F3}"));
            }
            stdout.WriteLine($"wrote {string.Join(", ", files.Select(f => f.Item1))}");
            return 0;
        }));
        return command;
    }

    private static int[] ParseIntegers(string text, string option)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var values = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out values[i]))
                throw new ArgumentException($"{option}: '{parts[i]}' is not an integer.");
        return values;
    }
}
