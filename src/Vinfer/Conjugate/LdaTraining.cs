using System.Diagnostics;
using Vinfer.Data;
using Vinfer.Distributed;
using Vinfer.Inference;
using Vinfer.Random;

namespace Vinfer.Conjugate;

/// <summary>How <see cref="LdaTraining"/> fits latent Dirichlet allocation.</summary>
public sealed record LdaTrainingOptions
{
    /// <summary>true: online SVI (Hoffman, Blei and Bach 2010); false: batch CAVI (Blei, Ng and Jordan 2003).</summary>
    public bool Stochastic { get; init; }

    /// <summary>Passes over the corpus: CAVI steps, or SVI steps × batch size / documents (rounded up).</summary>
    public int Passes { get; init; } = 10;

    /// <summary>
    /// SVI's minibatch size and step sizes ρ_t = (t + τ)^(−κ), t = 0, 1, …; the defaults are scikit-learn's online
    /// settings (batch 128, learning_offset 10 with its step counter starting at 1, so τ = 11; learning_decay κ = 0.7).
    /// </summary>
    public NaturalGradientSettings NaturalGradient { get; init; } = new() { BatchSize = 128, Delay = 11, ForgettingRate = 0.7 };

    /// <summary>CAVI only: stop early when the ELBO's relative change falls below this (Stan's rule in <see cref="FitLoop"/>); null: run every pass.</summary>
    public double? RelativeTolerance { get; init; }

    /// <summary>Seed of the initialization (λ ~ Gamma(100, 1/100)) and of the minibatches.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Throws with a message naming the option and its value when one is out of range for <paramref name="documents"/> documents.</summary>
    public void Validate(int documents)
    {
        if (Passes < 1) throw new ArgumentOutOfRangeException(nameof(Passes), Passes, "must be at least 1.");
        if (Stochastic)
        {
            ArgumentNullException.ThrowIfNull(NaturalGradient);
            if (NaturalGradient.BatchSize > documents)
                throw new ArgumentOutOfRangeException(nameof(NaturalGradient), NaturalGradient.BatchSize, $"the batch size {NaturalGradient.BatchSize} is larger than the {documents} training documents.");
            NaturalGradient.Validate(documents);
        }
        if (RelativeTolerance is < 0) throw new ArgumentOutOfRangeException(nameof(RelativeTolerance), RelativeTolerance, "must be non-negative.");
    }
}

/// <summary>A fitted LDA: the model at its final q(β), the loop's run (ELBO trace) and the wall time of the fit.</summary>
public sealed record LdaTrainingResult(LatentDirichletAllocation Model, SviRun Run, double Seconds);

/// <summary>
/// Fits latent Dirichlet allocation through the shared iteration loop (<see cref="FitLoop"/>): batch CAVI
/// (<see cref="CoordinateAscent"/>; one step = one pass, the ELBO in closed form each step) or online SVI
/// (<see cref="StochasticVariationalInference"/>; one step = one minibatch, the trace holds unbiased minibatch estimates
/// of the ELBO).
/// </summary>
public static class LdaTraining
{
    /// <summary>Fits LDA with <paramref name="settings"/> to <paramref name="corpus"/> as <paramref name="options"/> say.</summary>
    public static LdaTrainingResult Fit(DocumentTermCounts corpus, LdaSettings settings, LdaTrainingOptions options) =>
        Fit(corpus, settings, options, null);

    /// <summary>
    /// Fits LDA as <see cref="Fit(DocumentTermCounts, LdaSettings, LdaTrainingOptions)"/> with <paramref name="corpus"/>
    /// this process's block of the documents of a data-parallel fit over <paramref name="communicator"/>'s processes:
    /// every process runs this with the same settings and options and ends with the same q(β) (SVI's minibatches are
    /// drawn from the global document indices, so they do not depend on the number of processes).
    /// </summary>
    public static LdaTrainingResult Fit(DocumentTermCounts corpus, LdaSettings settings, LdaTrainingOptions options, ICommunicator? communicator)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(options);
        settings.Validate(corpus.DocumentCount);
        var clock = Stopwatch.StartNew();
        var model = new LatentDirichletAllocation(corpus, settings, new RandomKey(options.Seed).Child(0), communicator);
        options.Validate(model.TotalCount);
        IIterativeUpdate update;
        SviOptions loop;
        if (options.Stochastic)
        {
            update = new StochasticVariationalInference(model, options.NaturalGradient);
            long steps = ((long)options.Passes * model.TotalCount + options.NaturalGradient.BatchSize - 1) / options.NaturalGradient.BatchSize;
            loop = new SviOptions { Steps = checked((int)steps), Tolerance = null, EvalEvery = int.MaxValue, Seed = options.Seed };
        }
        else
        {
            update = new CoordinateAscent(model);
            loop = new SviOptions { Steps = options.Passes, Tolerance = options.RelativeTolerance, EvalEvery = 1, Seed = options.Seed };
        }
        var run = new FitLoop(update).Run(loop);
        return new LdaTrainingResult(model, run, clock.Elapsed.TotalSeconds);
    }
}
