using System.Text.Json.Nodes;
using Vinfer.Flows;
using Vinfer.Guides;
using Vinfer.Inference;

namespace Vinfer.Cli.Commands;

/// <summary>
/// summary.json's <c>settings</c>: the effective settings of the guide that produced the fit, defaults filled in, so
/// a fit can be repeated from its summary alone (the objective is recorded beside it, under <c>objective</c>).
/// Family always; flow families: kind, layers, hidden widths, the IAF log-scale clamp, the base; low rank: the rank;
/// SVGD: the particles and the annealing schedule (null for plain SVGD).
/// </summary>
internal static class FitSettingsRecord
{
    /// <summary>The settings object of <paramref name="fit"/>.</summary>
    public static JsonObject Json(FitResult fit)
    {
        ArgumentNullException.ThrowIfNull(fit);
        var settings = new JsonObject { ["family"] = fit.Family.Name };
        switch (fit.Guide)
        {
            case AutoNormalizingFlow flow:
                settings["flow_kind"] = flow.Kind.ToString();
                settings["flow_layers"] = flow.Layers;
                settings["hidden"] = new JsonArray(flow.EffectiveHiddenSizes.Select(h => (JsonNode)h).ToArray());
                // the clamp acts only in affine autoregressive layers; elsewhere it would read as a setting that did something
                settings["max_log_scale"] = flow.Kind is FlowKind.Iaf or FlowKind.Maf ? flow.MaximumLogScale : null;
                settings["base"] = flow.BaseDegreesOfFreedom is { } df
                    ? new JsonObject { ["distribution"] = "student_t", ["initial_df"] = df }
                    : new JsonObject { ["distribution"] = "normal" };
                settings["whitened"] = flow.Preconditioner is not null;
                break;
            case AutoLowRankMultivariateNormal lowRank:
                settings["rank"] = lowRank.Rank;
                break;
            case AutoParticles particles:
                settings["particles"] = particles.ParticleCount;
                settings["anneal"] = fit.SvgdAnnealing is { } a
                    ? new JsonObject { ["steps"] = a.Steps, ["cycles"] = a.Cycles, ["power"] = a.Power }
                    : null;
                settings["kernel"] = fit.SvgdKernel?.Name;
                break;
        }
        return settings;
    }
}
