using Vinfer.Distributions;
using Vinfer.Modeling;
using Vinfer.Modeling.Handlers;
using Vinfer.Optim;
using Vinfer.Random;
using Vinfer.Tensors;
using Vinfer.Tensors.Kernels;

namespace Vinfer.Inference;

/// <summary>
/// Neural posterior estimation: minimizes the expected forward KL, L_P(φ) = E_{θ∼p(θ), x∼p(x|θ)}[−log q(θ; f(x; φ))],
/// by stochastic gradients on fresh simulated pairs at every step (Papamakarios and Murray, "Fast ε-free inference
/// of simulation models with Bayesian conditional density estimation", NeurIPS 2016; Ambrogioni et al., "Forward
/// amortized inference for likelihood-free variational marginalization", AISTATS 2019; McNamara, Loper and Regier,
/// "Globally Convergent Variational Inference", NeurIPS 2024, who show that L_P is convex in the network's output and
/// so, for a network in the neural-tangent regime, converges to its unique global optimum). Up to a constant in φ,
/// L_P is E_x[KL(p(θ|x) ‖ q(θ|x))], minimized by the exact posterior when q's family contains it.
/// </summary>
/// <remarks>
/// It is likelihood-free: it needs draws from the prior and the likelihood, never a density. The simulator is either a
/// Vinfer model (both sites drawn under a seed handler and read from its trace, one run per pair) or a function that
/// draws a batch of pairs at once. Only the amortized posterior q is differentiated, so the simulator need not be
/// differentiable. Parameters live in <see cref="Store"/>; each step runs in a <see cref="TensorScope"/>.
/// </remarks>
public sealed class NeuralPosteriorEstimation
{
    private readonly Func<int, RandomStream, (Tensor Parameters, Tensor Observations)> _simulate;
    private readonly Func<Tensor, Distribution> _posterior;

    /// <summary>
    /// Neural posterior estimation with a batch simulator: <paramref name="simulate"/>(B, random) returns B pairs
    /// (θ [B, ...], x [B, ...]); <paramref name="posterior"/> maps observations x [B, ...] to q(· | x) whose
    /// <c>LogProb</c> of θ has shape [B] (use <see cref="Distribution.ToEvent"/> for a vector θ).
    /// </summary>
    public NeuralPosteriorEstimation(Func<int, RandomStream, (Tensor Parameters, Tensor Observations)> simulate, Func<Tensor, Distribution> posterior,
        Optimizer optimizer, int simulationsPerStep, ParamStore? store = null)
    {
        _simulate = simulate ?? throw new ArgumentNullException(nameof(simulate));
        _posterior = posterior ?? throw new ArgumentNullException(nameof(posterior));
        Optimizer = optimizer ?? throw new ArgumentNullException(nameof(optimizer));
        if (simulationsPerStep < 1) throw new ArgumentOutOfRangeException(nameof(simulationsPerStep), simulationsPerStep, "simulationsPerStep must be at least 1.");
        SimulationsPerStep = simulationsPerStep;
        Store = store ?? new ParamStore();
    }

    /// <summary>
    /// Neural posterior estimation with a Vinfer model as the simulator: each pair is one run of
    /// <paramref name="model"/>, whose site <paramref name="parameterSite"/> is θ and <paramref name="observationSite"/>
    /// is x (both must be drawn, not observed).
    /// </summary>
    public NeuralPosteriorEstimation(Action model, string parameterSite, string observationSite, Func<Tensor, Distribution> posterior,
        Optimizer optimizer, int simulationsPerStep, ParamStore? store = null)
        : this(ModelSimulator(model, parameterSite, observationSite), posterior, optimizer, simulationsPerStep, store) { }

    /// <summary>The amortized posterior's parameters.</summary>
    public ParamStore Store { get; }

    /// <summary>The optimizer stepping <see cref="Store"/>'s unconstrained leaves.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>Simulated pairs per step.</summary>
    public int SimulationsPerStep { get; }

    /// <summary>
    /// B pairs simulated from <paramref name="model"/>: θ from site <paramref name="parameterSite"/> and x from site
    /// <paramref name="observationSite"/>, stacked along a new first axis, without gradients.
    /// </summary>
    public static (Tensor Parameters, Tensor Observations) Simulate(Action model, string parameterSite, string observationSite, int count, RandomStream random) =>
        ModelSimulator(model, parameterSite, observationSite)(count, random);

    private static Func<int, RandomStream, (Tensor, Tensor)> ModelSimulator(Action model, string parameterSite, string observationSite)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(parameterSite);
        ArgumentException.ThrowIfNullOrEmpty(observationSite);
        return (count, random) =>
        {
            if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "count must be at least 1.");
            var parameters = new Tensor[count];
            var observations = new Tensor[count];
            using (GradMode.Disable())
            using (Handle.Seed(random))
                for (int i = 0; i < count; i++)
                {
                    var trace = Handle.TraceOf(model);
                    parameters[i] = DrawnValue(trace, parameterSite);
                    observations[i] = DrawnValue(trace, observationSite);
                }
            return (Tensor.Stack(0, parameters), Tensor.Stack(0, observations));
        };
    }

    private static Tensor DrawnValue(Trace trace, string name)
    {
        if (!trace.TryGet(name, out var site) || site.Kind != SiteKind.Sample)
            throw new ArgumentException($"NeuralPosteriorEstimation: the simulator has no sample site '{name}' (its sites: {string.Join(", ", trace.SampleSites.Select(s => s.Name))}).", nameof(name));
        if (site.IsObserved)
            throw new ArgumentException($"NeuralPosteriorEstimation: site '{name}' is observed in the simulator; write it as a drawn sample so that it can be simulated.", nameof(name));
        return site.Value!;
    }

    /// <summary>The Monte Carlo estimate of L_P on given pairs: the mean of −log q(θ | x), without gradients.</summary>
    public double Loss(Tensor parameters, Tensor observations)
    {
        using var _ = Store.Use();
        using var __ = GradMode.Disable();
        using var scope = new TensorScope();
        return -LogDensities(parameters, observations).Mean().Item();
    }

    private Tensor LogDensities(Tensor parameters, Tensor observations)
    {
        var logDensity = _posterior(observations).LogProb(parameters);
        if (logDensity.Rank != 1 || logDensity.Shape[0] != parameters.Shape[0])
            throw new InvalidOperationException($"NeuralPosteriorEstimation: log q(θ | x) has shape {Shapes.Format(logDensity.Shape)}, expected [{parameters.Shape[0]}] (one value per pair).");
        return logDensity;
    }

    /// <summary>
    /// One step: simulates <see cref="SimulationsPerStep"/> fresh pairs, differentiates the mean of −log q(θ | x) and
    /// lets the optimizer update the parameters. Returns that loss, or NaN (parameters unchanged) when it or a gradient
    /// was not finite.
    /// </summary>
    public double Step(RandomStream random)
    {
        ArgumentNullException.ThrowIfNull(random);
        using var _ = Store.Use();
        using var scope = new TensorScope();
        var (parameters, observations) = _simulate(SimulationsPerStep, random);
        var loss = -LogDensities(parameters, observations).Mean();
        double value = loss.Item();
        if (!double.IsFinite(value)) { ZeroGrads(); return double.NaN; }
        loss.Backward();
        foreach (var (_, p) in Store.Unconstrained)
            if (p.Grad is { } g)
                foreach (double x in g.Span)
                    if (!double.IsFinite(x)) { ZeroGrads(); return double.NaN; }
        Optimizer.Step(Store.Unconstrained);
        ZeroGrads();
        return value;
    }

    private void ZeroGrads()
    {
        foreach (var (_, p) in Store.Unconstrained) p.ZeroGrad();
    }
}
