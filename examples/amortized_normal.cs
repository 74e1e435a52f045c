// A local latent per data row, inferred by an encoder: Vinfer's automatic amortized guide (AutoAmortizedNormal)
// fitted by SVI on mini-batches (Pyro's AutoGuide + amortization pattern).
//
// Model: θ ~ N(0, 2²);  z_n ~ N(θ, 1);  x_n ~ N(z_n, 0.5²),  n = 1…200, mini-batches of 20 rows.
// Guide: q(θ) = N(m, s²) (mean-field, as AutoNormal) and q(z_n | x_n) = N(a·x_n + b, c²) from a linear encoder.
// Everything is Gaussian, so the best mean-field fit (F-VI) is known in closed form: its means are the exact posterior
// means, E[z_n | x] = (E[θ | x]·σ² + x_n) / (1 + σ²), linear in x_n, and its variances are the inverse diagonal of
// the joint precision. A linear encoder can therefore reach the F-VI optimum exactly; the program prints the fitted
// values beside the closed form, and the ELBO of the fit (in closed form) beside the optimum's.
//
// Build: any C# program referencing Vinfer; the test suite compiles and runs this file
// (tests/Vinfer.Tests/Guides/AmortizedExampleTests.cs). Usage: amortized_normal [OUTPUT_FILE]
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Vinfer.Distributions;
using Vinfer.Guides;
using Vinfer.Inference;
using Vinfer.Modeling;
using Vinfer.Objectives;
using Vinfer.Optim;
using Vinfer.Random;
using Vinfer.Tensors;
using static Vinfer.Modeling.Primitives;

public static class AmortizedNormalExample
{
    const int N = 200, Batch = 20;
    const double PriorScale = 2.0, Sigma = 0.5;

    public static int Main(string[] args)
    {
        using var output = args.Length > 0 ? new StreamWriter(args[0]) : new StreamWriter(Console.OpenStandardOutput());

        // simulated data: θ = 1.5
        var noise = new double[2 * N];
        Vinfer.Random.Sample.Normal(new RandomKey(2024), noise);
        var x = new double[N];
        for (int n = 0; n < N; n++) x[n] = 1.5 + noise[n] + Sigma * noise[N + n];
        var observed = Tensor.FromArray(x, N);

        void Model()
        {
            var theta = Sample("theta", new Normal(0.0, PriorScale));
            using var rows = Plate("data", N, Batch);
            var z = Sample("z", new Normal(theta, Tensor.Scalar(1.0)));
            Sample("x", new Normal(z, Tensor.Scalar(Sigma)), observed.IndexSelect(0, rows.Indices));
        }

        var store = new ParamStore();
        // each row of plate "data" carries one number, x_n: the encoder reads it (no hidden layer: a linear encoder)
        var guide = new AutoAmortizedNormal(Model, new Dictionary<string, Tensor> { ["data"] = observed.Reshape(N, 1) }, hiddenSizes: []);
        var adam = new Adam(0.02);
        var svi = new Svi(Model, guide, adam, new Elbo(8, GradientEstimator.StickingTheLanding), store);
        var random = new RandomStream(1);
        for (int step = 0; step < 5000; step++)
        {
            // a decreasing step size: subsampling keeps the gradient noisy at the optimum
            if (step == 2500) adam.LearningRate = 0.005;
            if (step == 3500) adam.LearningRate = 0.001;
            if (step == 4200) adam.LearningRate = 0.0002;
            svi.Step(random);
        }

        double slope, intercept, localScale, thetaLoc, thetaScale;
        using (store.Use())
        {
            var (loc, scale) = guide.LocalParameters("z", Tensor.FromArray([0.0, 1.0], 2, 1));
            intercept = loc.Span[0];
            slope = loc.Span[1] - loc.Span[0];
            localScale = scale.Span[0];
            thetaLoc = store.Get("AutoAmortizedNormal.loc.theta").Item();
            thetaScale = store.Get("AutoAmortizedNormal.scale.theta").Item();
        }

        // the closed form: v = 1 + σ² is Var(x_n | θ); the joint precision has θθ entry 1/s0² + N and z_n z_n entry 1 + 1/σ²
        double v = 1 + Sigma * Sigma, precisionTheta = 1 / (PriorScale * PriorScale) + N, precisionZ = 1 + 1 / (Sigma * Sigma);
        double posteriorPrecision = 1 / (PriorScale * PriorScale) + N / v, thetaMean = x.Sum() / v / posteriorPrecision;
        var exact = new Dictionary<string, double>
        {
            ["slope"] = 1 / v,
            ["intercept"] = thetaMean * Sigma * Sigma / v,
            ["local_scale"] = Math.Sqrt(Sigma * Sigma / v),
            ["theta_loc"] = thetaMean,
            ["theta_scale"] = 1 / Math.Sqrt(precisionTheta),
        };
        var fitted = new Dictionary<string, double>
        {
            ["slope"] = slope, ["intercept"] = intercept, ["local_scale"] = localScale, ["theta_loc"] = thetaLoc, ["theta_scale"] = thetaScale,
        };
        foreach (var key in exact.Keys)
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{key} {fitted[key]:R} {exact[key]:R}"));
        // ELBO of the fit and of the F-VI optimum: log p(x) − KL(q ‖ p(θ, z | x)), both in closed form
        double optimum = LogEvidence(x) - 0.5 * Math.Log(precisionTheta / (precisionTheta - N / precisionZ));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"elbo {ClosedFormElbo(x, slope, intercept, localScale, thetaLoc, thetaScale):R} {optimum:R}"));
        return 0;
    }

    /// <summary>log p(x) with θ and z integrated out: x ~ N(0, v·I + s0²·11ᵀ), v = 1 + σ².</summary>
    static double LogEvidence(double[] x)
    {
        double v = 1 + Sigma * Sigma, s2 = PriorScale * PriorScale, sum = x.Sum(), squares = x.Sum(t => t * t);
        double logDet = N * Math.Log(v) + Math.Log(1 + N * s2 / v);
        double quadratic = squares / v - s2 * sum * sum / (v * (v + N * s2));
        return -0.5 * (N * Math.Log(2 * Math.PI) + logDet + quadratic);
    }

    /// <summary>The ELBO of q(θ) = N(m, s²), q(z_n | x_n) = N(a·x_n + b, c²), in closed form.</summary>
    public static double ClosedFormElbo(double[] x, double a, double b, double c, double m, double s)
    {
        double s02 = PriorScale * PriorScale, value = -0.5 * Math.Log(2 * Math.PI * s02) - 0.5 * (m * m + s * s) / s02 + 0.5 * Math.Log(2 * Math.PI * Math.E * s * s);
        foreach (double xn in x)
        {
            double mean = a * xn + b;
            value += -0.5 * Math.Log(2 * Math.PI) - 0.5 * ((mean - m) * (mean - m) + c * c + s * s);
            value += -0.5 * Math.Log(2 * Math.PI * Sigma * Sigma) - 0.5 * ((xn - mean) * (xn - mean) + c * c) / (Sigma * Sigma);
            value += 0.5 * Math.Log(2 * Math.PI * Math.E * c * c);
        }
        return value;
    }
}
