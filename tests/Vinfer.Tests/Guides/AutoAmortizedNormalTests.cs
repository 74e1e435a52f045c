using Vinfer.Distributions;
using Vinfer.Guides;
using Vinfer.Modeling;
using Vinfer.Objectives;
using Vinfer.Random;
using Vinfer.Tensors;
using static Vinfer.Modeling.Primitives;

namespace Vinfer.Tests.Guides;

/// <summary>
/// The automatic amortized guide against closed forms. Its ELBO estimates under subsampling (a fresh subsample and
/// fresh draws per estimate) average to the ELBO computed in closed form at the same encoder and global parameters:
/// for the conjugate normal model with local latents (real-valued locals, a global mean) and for a Poisson model with
/// positive local rates, where the guide is a log-normal through the exp bijector and its Jacobian enters.
/// Fitting to the optimum is tested on the user-style example (<see cref="AmortizedExampleTests"/>).
/// </summary>
public class AutoAmortizedNormalTests
{
    private const int Size = 30, Subsample = 6;
    private const double PriorScale = 2.0, Sigma = 0.5;
    private static readonly double[] X = Enumerable.Range(0, Size).Select(i => Math.Round(1.2 + 1.7 * Math.Sin(1.3 * i), 3)).ToArray();
    private static readonly double[] Counts = Enumerable.Range(0, Size).Select(i => (double)((i * 7) % 5)).ToArray();

    private static void NormalModel()
    {
        var observed = Tensor.FromArray(X, Size);
        var theta = Sample("theta", new Normal(0.0, PriorScale));
        using var rows = Plate("data", Size, Subsample);
        var z = Sample("z", new Normal(theta, Tensor.Scalar(1.0)));
        Sample("x", new Normal(z, Tensor.Scalar(Sigma)), observed.IndexSelect(0, rows.Indices));
    }

    private static void PoissonModel()
    {
        var observed = Tensor.FromArray(Counts, Size);
        using var rows = Plate("data", Size, Subsample);
        var rate = Sample("rate", new Exponential(1.0));
        Sample("count", new Poisson(rate), observed.IndexSelect(0, rows.Indices));
    }

    private static void SetLinearEncoder(AutoAmortizedNormal guide, string site, double slope, double intercept, double scaleBias)
    {
        var p = guide.Encoder(site).Parameters().ToDictionary(q => q.Key, q => q.Value);
        var w = p[$"AutoAmortizedNormal.encoder.{site}.0.weight"].Span;
        var b = p[$"AutoAmortizedNormal.encoder.{site}.0.bias"].Span;
        w[0] = slope; w[1] = 0; b[0] = intercept; b[1] = scaleBias;
    }

    /// <summary>Mean and standard error of <paramref name="count"/> independent ELBO estimates (each: new subsample, new draws).</summary>
    private static (double Mean, double StandardError) Estimates(Action model, AutoAmortizedNormal guide, int count, int particles, ulong seed)
    {
        var random = new RandomStream(seed);
        var values = new double[count];
        for (int r = 0; r < count; r++)
            using (new TensorScope())
                values[r] = new Elbo(particles).Estimate(model, guide.Run, guide.MaxPlateNesting, particles, random);
        double mean = values.Average();
        return (mean, Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (count - 1) / count));
    }

    [Fact]
    public void SubsampledElboEstimatesAverageToTheClosedFormElboOfTheConjugateNormalModel()
    {
        var store = new ParamStore();
        using var _ = store.Use();
        var guide = new AutoAmortizedNormal(NormalModel, new Dictionary<string, Tensor> { ["data"] = Tensor.FromArray(X, Size, 1) }, hiddenSizes: []);
        guide.InitializeParameters();
        Assert.Equal(["z"], guide.LocalSites);
        Assert.Equal(["theta", "z"], guide.Latents.Select(l => l.Name));
        SetLinearEncoder(guide, "z", 0.7, 0.2, -0.4);
        store.GetUnconstrained("AutoAmortizedNormal.loc.theta").Span[0] = 1.1;
        store.GetUnconstrained("AutoAmortizedNormal.scale.theta").Span[0] = -1.5;
        double m = store.Get("AutoAmortizedNormal.loc.theta").Item(), s = store.Get("AutoAmortizedNormal.scale.theta").Item();
        double c = Softplus(-0.4 + Math.Log(Math.Exp(0.1) - 1));   // softplus(bias + softplus⁻¹(initScale))
        var (loc, scale) = guide.LocalParameters("z", Tensor.FromArray([2.0], 1, 1));
        Assert.Equal(0.7 * 2 + 0.2, loc.Item(), 12);
        Assert.Equal(c, scale.Item(), 12);

        double exact = -0.5 * Math.Log(2 * Math.PI * PriorScale * PriorScale) - 0.5 * (m * m + s * s) / (PriorScale * PriorScale) + 0.5 * Math.Log(2 * Math.PI * Math.E * s * s);
        foreach (double x in X)
        {
            double mean = 0.7 * x + 0.2;
            exact += -0.5 * Math.Log(2 * Math.PI) - 0.5 * ((mean - m) * (mean - m) + c * c + s * s)
                     - 0.5 * Math.Log(2 * Math.PI * Sigma * Sigma) - 0.5 * ((x - mean) * (x - mean) + c * c) / (Sigma * Sigma)
                     + 0.5 * Math.Log(2 * Math.PI * Math.E * c * c);
        }
        var (estimate, standardError) = Estimates(NormalModel, guide, 1500, 4, 11);
        Assert.True(Math.Abs(estimate - exact) < 5 * standardError, $"mean of estimates {estimate} ± {standardError}, closed form {exact}");
        // the tolerance is meaningful: 5 s.e. (≈ 0.9 nats, mostly the subsample's variance) is far below what a wrong
        // scale, a wrong row for the encoder or a missing entropy term would shift the estimate by (tens of nats)
        Assert.True(5 * standardError < 1.5, $"standard error {standardError} too large to test anything");
    }

    [Fact]
    public void PositiveLocalLatentsGetALogNormalWithItsJacobian()
    {
        var store = new ParamStore();
        using var _ = store.Use();
        var guide = new AutoAmortizedNormal(PoissonModel, new Dictionary<string, Tensor> { ["data"] = Tensor.FromArray(Counts, Size, 1) }, hiddenSizes: []);
        guide.InitializeParameters();
        SetLinearEncoder(guide, "rate", 0.3, -0.2, 0.8);
        double c = Softplus(0.8 + Math.Log(Math.Exp(0.1) - 1));
        // rate_n ~ LogNormal(μ_n, c²), μ_n = 0.3·x_n − 0.2: E[rate] = exp(μ + c²/2), E[log rate] = μ, entropy μ + ½ + log(c√(2π))
        double exact = 0;
        foreach (double x in Counts)
        {
            double mu = 0.3 * x - 0.2, meanRate = Math.Exp(mu + 0.5 * c * c);
            exact += -meanRate                                                             // log Exponential(1)
                     + x * mu - meanRate - LogFactorial(x)             // log Poisson
                     + mu + 0.5 + Math.Log(c * Math.Sqrt(2 * Math.PI));                   // entropy of the log-normal
        }
        var (estimate, standardError) = Estimates(PoissonModel, guide, 1500, 4, 12);
        Assert.True(Math.Abs(estimate - exact) < 5 * standardError, $"mean of estimates {estimate} ± {standardError}, closed form {exact}");
        // the Jacobian term alone is Σ μ_n = 12 nats here; 5 s.e. ≈ 1.1 nats
        Assert.True(5 * standardError < 1.5, $"standard error {standardError} too large to test anything");

        // the guide's draws are positive and sit on the model's site
        Trace trace;
        using (new Vinfer.Modeling.Handlers.SeedMessenger(3).Enter()) trace = Vinfer.Modeling.Handlers.Handle.TraceOf(guide.Run);
        Assert.All(trace.SampleSites.Single(t => t.Name == "rate").Value!.Span.ToArray(), r => Assert.True(r > 0));
    }

    private static double Softplus(double v) => Math.Log(1 + Math.Exp(v));

    private static double LogFactorial(double x) => Enumerable.Range(1, (int)x).Sum(i => Math.Log(i));

    [Fact]
    public void BadInputIsRefusedWithOneClearMessage()
    {
        using var _ = new ParamStore().Use();
        // a subsampled local latent whose plate has no data: the prototype refuses it and names the plate and the way out
        var noData = new AutoAmortizedNormal(NormalModel, new Dictionary<string, Tensor> { ["other"] = Tensor.Zeros(3, 1) });
        var e1 = Assert.Throws<NotSupportedException>(() => noData.InitializeParameters());
        Assert.Contains("'data'", e1.Message);
        Assert.Contains("AutoAmortizedNormal", e1.Message);
        // data rows that do not match the plate's size
        var wrongRows = new AutoAmortizedNormal(NormalModel, new Dictionary<string, Tensor> { ["data"] = Tensor.Zeros(Size - 1, 1) });
        var e2 = Assert.Throws<ArgumentException>(() => wrongRows.InitializeParameters());
        Assert.Contains($"{Size} rows", e2.Message);
        Assert.Contains($"{Size - 1}", e2.Message);
        Assert.Throws<ArgumentException>(() => new AutoAmortizedNormal(NormalModel, new Dictionary<string, Tensor>()));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AutoAmortizedNormal(NormalModel, new Dictionary<string, Tensor> { ["data"] = Tensor.Zeros(Size, 1) }, initScale: 0));
        // a site that is not local
        var guide = new AutoAmortizedNormal(NormalModel, new Dictionary<string, Tensor> { ["data"] = Tensor.Zeros(Size, 1) });
        Assert.Contains("theta", Assert.Throws<ArgumentException>(() => guide.Encoder("theta")).Message);
    }
}
