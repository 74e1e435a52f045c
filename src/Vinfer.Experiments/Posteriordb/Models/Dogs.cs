using Vinfer.Data;
using Vinfer.Distributions;
using Vinfer.Tensors;

namespace Vinfer.Experiments.Posteriordb.Models;

/// <summary>posteriordb <c>dogs_legacy-dogs</c>: logistic regression of shock on previous avoidances and shocks (legacy 31-dog data).</summary>
public sealed class Dogs : PosteriordbModel
{
    /// <inheritdoc />
    public override string Name => "dogs_legacy-dogs";

    /// <inheritdoc />
    public override string Description => "posteriordb dogs_legacy-dogs: Solomon–Wynne dogs logistic regression (legacy data and reference).";

    /// <inheritdoc />
    public override Action Bind(StanData data)
    {
        int dogs = data.GetInt("n_dogs", 1);
        int trials = data.GetInt("n_trials", 1);
        var y = data.GetIntMatrix("y", dogs, trials);
        int n = dogs * trials;
        double[] ones = new double[n], avoid = new double[n], shock = new double[n], outcome = new double[n];
        for (int j = 0; j < dogs; j++)
        {
            int a = 0, s = 0;
            for (int t = 0; t < trials; t++)
            {
                int i = j * trials + t;
                if (y[j, t] is not (0 or 1)) throw new DataFormatException($"{data.Source}: field 'y' must hold 0 or 1, but y[{j + 1}][{t + 1}] = {y[j, t]}.");
                ones[i] = 1; avoid[i] = a; shock[i] = s; outcome[i] = y[j, t];
                a += 1 - y[j, t]; s += y[j, t];
            }
        }
        var designT = ColumnsTransposed(ones, avoid, shock);
        var yt = Tensor.FromArray(outcome, n);
        return () =>
        {
            var beta = Parameter("beta", Constraints.Real, 3);
            var eta = beta.MatMul(designT);
            Target(LogNormalKernel(beta, 0, 100).Sum(-1) + (yt * eta - eta.Softplus()).Sum(-1));
        };
    }
}
