using Vinfer.Data;
using Vinfer.Distributions;
using Vinfer.Tensors;

namespace Vinfer.Experiments.Posteriordb.Models;

/// <summary>posteriordb <c>hudson_lynx_hare-lotka_volterra</c>: Lotka–Volterra ODE with log-normal measurement error on the lynx–hare pelts.</summary>
public sealed class LotkaVolterra : PosteriordbModel
{
    /// <inheritdoc />
    public override string Name => "hudson_lynx_hare-lotka_volterra";

    /// <inheritdoc />
    public override string Description => "posteriordb hudson_lynx_hare-lotka_volterra: predator–prey ODE (RK4) fitted to Hudson's Bay pelts.";

    /// <summary>The largest RK4 step used by the model (years).</summary>
    public double MaxStep { get; init; } = LotkaVolterraSolver.MaxStep;

    /// <inheritdoc />
    public override Action Bind(StanData data)
    {
        int n = data.GetInt("N", 1);
        var ts = Vector(data, "ts", n);
        var yInit = PositiveVector(data, "y_init", 2);
        var y = data.GetMatrix("y", n, 2).Span.ToArray();
        for (int i = 0; i < y.Length; i++)
            if (!(y[i] > 0)) throw new DataFormatException($"{data.Source}: field 'y' must be positive, but y[{i / 2 + 1}][{i % 2 + 1}] = {DataFormatException.FormatNumber(y[i])}.");
        var logYPrey = Tensor.FromArray(Enumerable.Range(0, n).Select(i => Math.Log(y[2 * i])).ToArray(), n);
        var logYPred = Tensor.FromArray(Enumerable.Range(0, n).Select(i => Math.Log(y[2 * i + 1])).ToArray(), n);
        double step = MaxStep;
        return () =>
        {
            var theta = Parameter("theta", Constraints.Positive, 4);
            var zInit = Parameter("z_init", Constraints.Positive, 2);
            var sigma = Parameter("sigma", Constraints.Positive, 2);
            Tensor a = Entry(theta, 0), b = Entry(theta, 1), c = Entry(theta, 2), d = Entry(theta, 3);
            Tensor u0 = Entry(zInit, 0), v0 = Entry(zInit, 1);
            Tensor sPrey = Entry(sigma, 0), sPred = Entry(sigma, 1);
            var (us, vs) = LotkaVolterraSolver.Solve(a, b, c, d, u0, v0, ts, step);
            var logU = Tensor.Stack(a.Rank, us).Log();
            var logV = Tensor.Stack(a.Rank, vs).Log();
            var logSigma = sigma.Log();
            var logZInit = zInit.Log();
            var lp = LogNormalKernel(a, 1, 0.5) + LogNormalKernel(c, 1, 0.5) + LogNormalKernel(b, 0.05, 0.05) + LogNormalKernel(d, 0.05, 0.05)
                     + (-logSigma - 0.5 * (logSigma + 1.0).Square()).Sum(-1)
                     + (-logZInit - 0.5 * (logZInit - Math.Log(10)).Square()).Sum(-1)
                     - logSigma.Sum(-1)
                     - (Math.Log(yInit[0]) - Entry(logZInit, 0)).Square() / (2.0 * sPrey.Square())
                     - (Math.Log(yInit[1]) - Entry(logZInit, 1)).Square() / (2.0 * sPred.Square())
                     + GaussianLogLikelihood(logYPrey - logU, sPrey)
                     + GaussianLogLikelihood(logYPred - logV, sPred);
            Target(lp);
        };
    }
}
