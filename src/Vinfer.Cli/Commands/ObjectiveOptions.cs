using System.CommandLine;
using System.Text.Json.Nodes;
using Vinfer.Objectives;

namespace Vinfer.Cli.Commands;

/// <summary>
/// The <c>vinfer fit</c> options that choose the objective and its gradient estimator (issue 9): the ELBO, IWAE (Burda
/// et al. 2016), the variational Rényi bound (Li and Turner 2016), VR-IWAE (Daudel et al. 2023) or CUBO (Dieng et al.
/// 2017); reparameterized, sticking-the-landing, DReG (Tucker et al. 2019) or score-function gradients.
/// </summary>
public static class ObjectiveOptions
{
    /// <summary>The objective.</summary>
    public static readonly Option<string> Objective = new("--objective") { Description = "Objective: elbo, iwae, renyi, vr-iwae or cubo.", DefaultValueFactory = _ => "elbo" };

    /// <summary>α of the Rényi and VR-IWAE bounds.</summary>
    public static readonly Option<double?> Alpha = new("--alpha") { Description = "renyi: any real α (1 is the ELBO); vr-iwae: α in [0, 1] (0 is IWAE); --method alpha-moments: α in [0, 1) (default 0.5); lda: the Dirichlet prior on document-topic proportions (default 1/K)." };

    /// <summary>K importance samples per estimate.</summary>
    public static readonly Option<int?> ImportanceSamples = new("--importance-samples") { Description = "iwae, renyi, vr-iwae, cubo: importance samples K per estimate (default 16)." };

    /// <summary>The gradient estimator.</summary>
    public static readonly Option<string?> Estimator = new("--estimator") { Description = "Gradient estimator: reparam, stl, dreg or score (default: stl for elbo, dreg for iwae/renyi/vr-iwae, reparam for cubo)." };

    /// <summary>Adds the options to the fit command.</summary>
    public static void AddOptions(Command fit)
    {
        fit.Options.Add(Objective);
        fit.Options.Add(Alpha);
        fit.Options.Add(ImportanceSamples);
        fit.Options.Add(Estimator);
    }

    /// <summary>
    /// What the options chose: the objective factory for <see cref="Inference.FitOptions.Objective"/> (null: the fit's
    /// ELBO with <see cref="Estimator"/>), the estimator, its description for summary.json, and a note for the user.
    /// </summary>
    public sealed record Choice(Func<int, GradientEstimator, IObjective>? Objective, GradientEstimator Estimator, JsonObject Description, string? Note);

    /// <summary>
    /// Builds the objective; <paramref name="particles"/> is the number of independent estimates S for the importance-
    /// weighted objectives when --particles was given (else 1). Throws ArgumentException naming the option on bad input.
    /// </summary>
    public static Choice Build(ParseResult pr, int? particles, bool pointEstimate)
    {
        string name = pr.GetValue(Objective)!;
        double? alphaGiven = pr.GetValue(Alpha);
        int? kGiven = pr.GetValue(ImportanceSamples);
        string? estimatorGiven = pr.GetValue(Estimator);
        if (name is not ("elbo" or "iwae" or "renyi" or "vr-iwae" or "cubo"))
            throw new ArgumentException($"--objective '{name}' is not one of elbo, iwae, renyi, vr-iwae, cubo.");
        if (alphaGiven is { } a && !double.IsFinite(a)) throw new ArgumentException($"--alpha is {a}, expected a finite number.");
        if (alphaGiven is not null && name is not ("renyi" or "vr-iwae")) throw new ArgumentException($"--alpha applies only to --method alpha-moments or to --objective renyi or vr-iwae, not to --objective '{name}'.");
        if (kGiven is < 1) throw new ArgumentException($"--importance-samples is {kGiven}, expected at least 1.");
        if (kGiven is not null && name == "elbo") throw new ArgumentException("--importance-samples applies to iwae, renyi, vr-iwae and cubo, not elbo (use --particles).");
        if (pointEstimate && name != "elbo") throw new ArgumentException($"--objective {name} needs a distributional family; --family map fits a point estimate.");
        var estimator = (estimatorGiven ?? (name switch { "elbo" => "stl", "cubo" => "reparam", _ => "dreg" })) switch
        {
            "reparam" => GradientEstimator.Reparameterized,
            "stl" => GradientEstimator.StickingTheLanding,
            "dreg" => GradientEstimator.DoublyReparameterized,
            "score" => GradientEstimator.ScoreFunction,
            var e => throw new ArgumentException($"--estimator '{e}' is not one of reparam, stl, dreg, score."),
        };
        double alpha = alphaGiven ?? 0.5;
        int k = kGiven ?? 16;
        int s = particles ?? 1;
        string? note = null;
        IObjective? objective;
        switch (name)
        {
            case "elbo":
                objective = null;
                if (estimator == GradientEstimator.DoublyReparameterized)
                {
                    note = "note: DReG of the ELBO (K = 1) is sticking the landing; using stl.";
                    estimator = GradientEstimator.StickingTheLanding;
                }
                k = 1;
                break;
            case "iwae":
                objective = new IwaeBound(k, s, estimator);
                break;
            case "renyi":
                objective = new RenyiBound(alpha, k, s, estimator);
                if (alpha == 1) note = "note: the Rényi bound with alpha = 1 is the ELBO.";
                break;
            case "vr-iwae":
                if (alpha is < 0 or > 1) throw new ArgumentException($"--alpha is {alpha}, expected a number in [0, 1] for --objective vr-iwae (use renyi for other orders).");
                var vr = new VrIwaeBound(alpha, k, s, estimator);
                objective = vr;
                if (vr.Note is { } n) note = "note: " + n;
                break;
            default:
                objective = new ChiSquareUpperBound(k, s, estimator);
                break;
        }
        var description = new JsonObject
        {
            ["name"] = name,
            ["estimator"] = estimator switch
            {
                GradientEstimator.Reparameterized => "reparam",
                GradientEstimator.StickingTheLanding => "stl",
                GradientEstimator.DoublyReparameterized => "dreg",
                _ => "score",
            },
            ["importance_samples"] = k,
            ["estimates"] = name == "elbo" ? particles ?? 8 : s,
        };
        if (name is "renyi" or "vr-iwae") description["alpha"] = alpha;
        return new Choice(objective is null ? null : (_, _) => objective, estimator, description, note);
    }
}
