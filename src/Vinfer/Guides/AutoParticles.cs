using System.Text.Json.Nodes;
using Vinfer.Distributions;
using Vinfer.Modeling;
using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Guides;

/// <summary>
/// An empirical distribution of n particles over the flat vector of unconstrained latents, the family of Stein
/// variational gradient descent (Liu and Wang, NeurIPS 2016; Pyro's SVGD keeps its particles the same way). Run under
/// a particle plate of exactly n entries (as <see cref="Inference.Svgd"/> and the posterior sampler do), the guide
/// places particle s on every latent site of draw s; each site's value is a point mass, so log q is only the
/// bijectors' −log|det J| and log p − log q is the unconstrained log density at each particle. The particles are one
/// parameter <c>{prefix}.particles</c> of shape [n, d], initialized from N(0, <see cref="InitScale"/>²).
/// </summary>
public sealed class AutoParticles : FlatLatentGuide
{
    /// <summary>n particles for <paramref name="model"/>.</summary>
    public AutoParticles(Action model, int particles, double initScale = 1.0, ulong initSeed = 0, string prefix = "AutoParticles") : base(model, prefix)
    {
        if (particles < 2) throw new ArgumentOutOfRangeException(nameof(particles), $"AutoParticles: SVGD needs at least 2 particles, got {particles}.");
        if (!(initScale > 0 && double.IsFinite(initScale))) throw new ArgumentOutOfRangeException(nameof(initScale), $"AutoParticles: initScale must be positive and finite, got {initScale}.");
        ParticleCount = particles;
        InitScale = initScale;
        InitSeed = initSeed;
    }

    internal AutoParticles(IReadOnlyList<LatentSite> latents, int maxPlateNesting, string prefix, int particles) : base(latents, maxPlateNesting, prefix)
    {
        ParticleCount = particles;
    }

    /// <inheritdoc/>
    public override string Family => "AutoParticles";

    /// <summary>The number of particles n.</summary>
    public int ParticleCount { get; }

    /// <summary>The initial standard deviation of each coordinate.</summary>
    public double InitScale { get; } = 1.0;

    /// <summary>The seed of the initial particles.</summary>
    public ulong InitSeed { get; }

    /// <summary>An empirical measure has no density: PSIS k̂ does not apply.</summary>
    public override bool IsPointEstimate => true;

    /// <summary>The name of the particle parameter.</summary>
    public string ParticlesName => $"{Prefix}.particles";

    /// <summary>The particles [n, d] (unconstrained, differentiable leaf of the current store).</summary>
    public Tensor Particles() => Primitives.Param(ParticlesName, () =>
    {
        var values = new double[ParticleCount * LatentDimension];
        Sample.Normal(new RandomKey(InitSeed).Fold(StreamTags.ParticleInit), 0, InitScale, values);
        return Tensor.FromArray(values, ParticleCount, LatentDimension);
    });

    /// <inheritdoc/>
    protected override void CreateParameters() => Particles();

    /// <inheritdoc/>
    public override Distribution LatentDistribution()
    {
        var particles = Particles();
        // [n, 1, …, 1, d]: particle s sits at index s of the particle plate left of the model's plates
        var shape = new int[MaxPlateNesting + 2];
        Array.Fill(shape, 1);
        shape[0] = ParticleCount;
        shape[^1] = LatentDimension;
        var value = particles.Reshape(shape);
        return new Delta(value, Tensor.Zeros(shape[..^1]), eventDim: 1);
    }

    /// <inheritdoc/>
    protected override void WriteSettings(JsonObject settings) => settings["particles"] = ParticleCount;
}
