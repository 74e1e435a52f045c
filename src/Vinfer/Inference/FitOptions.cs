using Vinfer.Guides;
using Vinfer.Objectives;

namespace Vinfer.Inference;

/// <summary>Settings of <see cref="VariationalFit.Fit"/>.</summary>
public sealed record FitOptions
{
    /// <summary>The variational family (one of <see cref="VariationalFamilies"/>).</summary>
    public VariationalFamily Family { get; init; } = VariationalFamilies.MeanField;

    /// <summary>
    /// The objective of the fit, built from the particle count and the gradient estimator; null is the ELBO
    /// (<see cref="Elbo(int, GradientEstimator)"/>). A point-estimate family gets one particle and the reparameterized
    /// estimator whatever <see cref="Particles"/> and <see cref="Estimator"/> say. With an
    /// <see cref="ImportanceWeightedObjective"/> lower bound of K &gt; 1 importance samples the reported draws are
    /// importance-resampled (one kept per K guide draws, the importance-weighted posterior).
    /// </summary>
    public Func<int, GradientEstimator, IObjective>? Objective { get; init; }

    /// <summary>How the objective's gradient is estimated (default sticking-the-landing).</summary>
    public GradientEstimator Estimator { get; init; } = GradientEstimator.StickingTheLanding;

    /// <summary>The step limit (with <see cref="Tolerance"/>) or the exact step count (without).</summary>
    public int Steps { get; init; } = 10_000;

    /// <summary>Stan's relative tolerance on the ELBO (tol_rel_obj); null runs exactly <see cref="Steps"/> steps.</summary>
    public double? Tolerance { get; init; } = 0.01;

    /// <summary>Monte Carlo particles per step (Stan's grad_samples), drawn in one vectorized pass; for SVGD, the number of particles (at least 2).</summary>
    public int Particles { get; init; } = 8;

    /// <summary>
    /// The fewest particles per step of the ELBO's particle schedule (<see cref="ParticleSchedule"/>): while the
    /// relative ELBO change is large a step uses as few as this, rising to <see cref="Particles"/> as the change falls
    /// to <see cref="Tolerance"/>; the averaging phase uses <see cref="Particles"/>. At least <see cref="Particles"/>
    /// (or without <see cref="Tolerance"/>, or with another objective) every step uses <see cref="Particles"/>.
    /// </summary>
    public int MinimumParticles { get; init; } = 1;

    /// <summary>Adam's initial learning rate (decayed as 1/(1 + step/1000)^0.5 over the run).</summary>
    public double LearningRate { get; init; } = 0.05;

    /// <summary>
    /// Whether a full-rank Gaussian guide is stepped in the coordinates of its current Gaussian
    /// (<see cref="GaussianNaturalGradient"/>, the default) rather than by Adam on its raw parameters.
    /// </summary>
    public bool NaturalGradientSteps { get; init; } = true;

    /// <summary>The rank of the low-rank family.</summary>
    public int Rank { get; init; } = 2;

    /// <summary>
    /// Whether <see cref="Estimator"/> is sticking-the-landing (lower variance near the optimum). Setting it false
    /// selects the plain reparameterized estimator; it is a shorthand kept for existing callers.
    /// </summary>
    public bool StickingTheLanding
    {
        get => Estimator == GradientEstimator.StickingTheLanding;
        init => Estimator = value ? GradientEstimator.StickingTheLanding
            : Estimator == GradientEstimator.StickingTheLanding ? GradientEstimator.Reparameterized : Estimator;
    }

    /// <summary>Posterior draws for the summaries and PSIS (Stan's output_samples).</summary>
    public int Draws { get; init; } = 1000;

    /// <summary>
    /// The draws PSIS gets when it corrects the guide: if the reweighting moves some mean by more than twice its Monte
    /// Carlo error and k̂ either allows the reweighted moments (<see cref="Diagnostics.ReportedMoments"/>) or is above the
    /// threshold by less than its own sampling error (<see cref="Diagnostics.PsisTopUp"/>), the <see cref="Draws"/> are
    /// topped up to this many and PSIS is redone (the draws reported then number this many). On eight schools 1,000 draws left the reweighted means' largest error at up to 0.22 sd over 20 seeds,
    /// 4,000 at most 0.08 (docs/stan-comparison.md); where the weights are nearly flat (a full-rank logistic regression)
    /// no draws are added. At most <see cref="Draws"/>: never.
    /// </summary>
    public int PsisDraws { get; init; } = 4000;

    /// <summary>The seed: same seed, model and data give a bit-identical fit.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Steps between convergence evaluations (Stan's eval_elbo).</summary>
    public int EvalEvery { get; init; } = 100;

    /// <summary>
    /// Steps of the averaging phase run after the optimization stops (by Stan's rule or the step limit): the
    /// learning rate drops to <see cref="AverageRateFactor"/> times its last value and the fit is the Polyak–Ruppert
    /// average of these iterates (Polyak &amp; Juditsky 1992), which removes the jitter a stochastic optimizer leaves
    /// in its last iterate. 0 uses the last iterate as it is. The default 300 brings the largest mean error of a
    /// logistic regression with N = 10,000, D = 20 from 0.09–0.43 to 0.05–0.16 posterior sd (docs/stan-comparison.md).
    /// </summary>
    public int AverageSteps { get; init; } = 300;

    /// <summary>
    /// Whether a fit stepped by the natural gradient (<see cref="GaussianNaturalGradient"/>: full-rank up to its
    /// dimension limit) also runs the averaging phase; by default it does not. The phase removes the jitter of Adam's
    /// normalized steps, whose size does not shrink at the optimum; a natural-gradient step with the sticking-the-landing
    /// estimator shrinks with the gradient, and its outliers are limited (<see cref="Optim.MedianNormLimit"/>), so 300 more steps
    /// bought nothing measurable: eight schools full-rank, seeds 1–10, reported means' largest error median 0.055 with
    /// the phase and 0.056 without; logistic regression N = 10,000 full-rank 0.056 either way; the posteriordb
    /// full-rank table (docs/stan-comparison.md, docs/posteriordb-accuracy.md). <c>vinfer fit --average-steps N</c> sets it.
    /// </summary>
    public bool AverageNaturalGradient { get; init; }

    /// <summary>The learning rate of the averaging phase relative to the last rate of the optimization.</summary>
    public double AverageRateFactor { get; init; } = 0.2;

    /// <summary>Flow families: the number of flow layers (default 4 coupling or spline, 2 IAF, 8 planar layers).</summary>
    public int? FlowLayers { get; init; }

    /// <summary>Flow families: the conditioner networks' hidden widths (default one layer of max(3d + 3, 16)).</summary>
    public IReadOnlyList<int>? Hidden { get; init; }

    /// <summary>IAF family: the upper clamp of each layer's log-scale (<see cref="Flows.AffineAutoregressiveModule.MaximumLogScale"/>; null: Pyro's 3).</summary>
    public double? MaximumLogScale { get; init; }

    /// <summary>Flow families: the initial degrees of freedom of a Student-t base learned per coordinate (<see cref="AutoNormalizingFlow.BaseDegreesOfFreedom"/>; null: a Gaussian base).</summary>
    public double? BaseDegreesOfFreedom { get; init; }

    /// <summary>SVGD: the annealing schedule of annealed SVGD (<see cref="Inference.SvgdAnnealing"/>); null for plain SVGD.</summary>
    public SvgdAnnealing? SvgdAnnealing { get; init; }

    /// <summary>SVGD: the Stein kernel (<see cref="RbfSteinKernel"/> or <see cref="ImqSteinKernel"/>); null for RBF with the median heuristic.</summary>
    public SteinKernel? SvgdKernel { get; init; }

    /// <summary>
    /// Where the Gaussian and flow families (mean-field, low-rank, full-rank, flows) start and in which coordinates they are fitted:
    /// Pathfinder's approximation and its whitening (default), or Stan's origin (<see cref="AdviStart"/>). Other
    /// families ignore it. A fixed <see cref="Preconditioner"/> takes precedence.
    /// </summary>
    public AdviStart Initialization { get; init; } = AdviStart.Pathfinder;

    /// <summary>A whitening to fit the Gaussian family in, given by the caller (then no Pathfinder run is made).</summary>
    public Guides.GaussianPreconditioner? Preconditioner { get; init; }

    /// <summary>
    /// When set, the guide's location starts at uniform(−r, r) draws on the unconstrained scale (Stan's default
    /// initialization, r = 2) instead of 0; the draws come from the seed.
    /// </summary>
    public double? InitialRadius { get; init; }

    /// <summary>
    /// When set, the guide's location starts at these constrained values per parameter, mapped to the unconstrained
    /// scale (Stan's <c>init</c> file, <see cref="InitialValues"/>); no Pathfinder run is made. Bad values (a missing
    /// parameter, a wrong shape, a value outside the support) throw before any work.
    /// </summary>
    public InitialValues? InitialValues { get; init; }

    /// <summary>Number of fits from different initializations (<see cref="FitRestarts"/>): the default start and r = 2 starts; the best ELBO is kept.</summary>
    public int Restarts { get; init; } = 1;

    /// <summary>
    /// Whether the default ELBO of a Gaussian family runs on <see cref="FlatGaussianElbo"/> (the same values without
    /// the guide's handler runs); false forces the general path (for tests comparing the two).
    /// </summary>
    internal bool FlatGaussianPath { get; init; } = true;

    /// <summary>Whether Stan's relative rule also needs a stationary objective trace to stop (<see cref="SviOptions.RequireStationarity"/>).</summary>
    public bool RequireStationarity { get; init; } = true;

    /// <summary>Called after every step.</summary>
    public Action<SviProgress>? Progress { get; init; }

    /// <summary>Steps between checkpoints of the optimization (a multiple of <see cref="EvalEvery"/>); null: none.</summary>
    public int? CheckpointEvery { get; init; }

    /// <summary>Receives the optimization's state every <see cref="CheckpointEvery"/> steps.</summary>
    public Action<SviCheckpoint>? Checkpoint { get; init; }

    /// <summary>
    /// A checkpoint of an earlier run of the same fit (same model, data and options) to continue from: the result is
    /// bit-identical to the run that never stopped. The averaging phase and the draws are redone from it.
    /// </summary>
    public SviCheckpoint? Resume { get; init; }
}
