using Vinfer.Distributions;
using Vinfer.Modeling;
using Vinfer.Objectives;
using Vinfer.Random;
using Vinfer.Tensors;
using static Vinfer.Modeling.Primitives;

namespace Vinfer.Tests.Objectives;

/// <summary>
/// The DReG surrogate's gradient against finite differences with fixed noise. DReG's gradient is not the derivative of
/// the estimate; with the draws' noise ε fixed it is the derivative, at φ₀, of
/// G(φ) = (1/S) Σ_{s,k} c_{s,k} [log p(x, z_{s,k}(φ)) − log q_{φ₀}(z_{s,k}(φ))], z(φ) = loc + scale·ε, with the coefficients
/// c = α w̄ + (1 − α) w̄² frozen at φ₀ (Tucker et al. 2019; Daudel et al. 2023). G is computed here in plain doubles from
/// the linear-Gaussian model's closed-form densities and differentiated by central differences.
/// </summary>
public class DoublyReparameterizedFiniteDifferenceTests
{
    private static readonly LinearGaussianModel Model = new(dimension: 2, observedDimension: 3, points: 2, noise: 0.8, seed: 11);
    private const int K = 5, S = 3;

    [Theory]
    [InlineData(0.0, false)]
    [InlineData(0.4, false)]
    [InlineData(0.0, true)]
    [InlineData(0.4, true)]
    public void DregGradientIsTheDerivativeOfTheFrozenCoefficientSurrogate(double alpha, bool local)
    {
        int n = Model.N, d = Model.D;
        var loc0 = new double[n * d];
        var scale0 = new double[n * d];
        for (int i = 0; i < n; i++)
            for (int a = 0; a < d; a++)
            {
                loc0[i * d + a] = Model.PosteriorMean[i, a] + 0.3 * (a % 2 == 0 ? 1 : -1);
                scale0[i * d + a] = 1.2 * Math.Sqrt(Model.PosteriorCovariance[a, a]);
            }
        void Guide()
        {
            var loc = Param("loc", Tensor.FromArray(loc0, n, d));
            var scale = Param("scale", Tensor.FromArray(scale0, n, d), Constraints.Positive);
            using (Plate(LinearGaussianModel.PlateName, n)) Sample("z", new Normal(loc, scale).ToEvent(1));
        }
        var objective = new VrIwaeBound(alpha, K, S, GradientEstimator.DoublyReparameterized, local ? LinearGaussianModel.PlateName : null);
        var store = new ParamStore();
        double[] analytic, z;
        using (store.Use())
        {
            var value = objective.Evaluate(Model.Model, Guide, 1, new RandomStream(31));
            value.Loss.Backward();
            analytic = store.GetUnconstrained("loc").Grad!.ToArray().Select(g => -g).ToArray();
            z = value.Weights.GuideTrace["z"].Value!.ToArray();
        }
        int particles = K * S;
        var epsilon = new double[z.Length];
        for (int p = 0; p < particles; p++)
            for (int j = 0; j < n * d; j++) epsilon[p * n * d + j] = (z[p * n * d + j] - loc0[j]) / scale0[j];

        // Per-point log-weights at φ₀ and the frozen coefficients.
        double PointLogWeight(double[] loc, int p, int i)
        {
            var zi = new double[d];
            for (int a = 0; a < d; a++) zi[a] = loc[i * d + a] + scale0[i * d + a] * epsilon[p * n * d + i * d + a];
            double logP = 0;
            for (int a = 0; a < d; a++) logP += -0.5 * zi[a] * zi[a] - 0.5 * Math.Log(2 * Math.PI);
            for (int r = 0; r < Model.M; r++)
            {
                double mean = 0;
                for (int a = 0; a < d; a++) mean += Model.A[r, a] * zi[a];
                double u = (Model.X[i, r] - mean) / Model.Noise;
                logP += -0.5 * u * u - Math.Log(Model.Noise) - 0.5 * Math.Log(2 * Math.PI);
            }
            double logQ = 0;
            for (int a = 0; a < d; a++)
            {
                double u = (zi[a] - loc0[i * d + a]) / scale0[i * d + a];
                logQ += -0.5 * u * u - Math.Log(scale0[i * d + a]) - 0.5 * Math.Log(2 * Math.PI);
            }
            return logP - logQ;
        }
        int groups = local ? n : 1;
        var coefficient = new double[particles * groups];
        for (int s = 0; s < S; s++)
            for (int g = 0; g < groups; g++)
            {
                var lw = new double[K];
                for (int k = 0; k < K; k++)
                    for (int i = 0; i < n; i++)
                        if (!local || i == g) lw[k] += PointLogWeight(loc0, s * K + k, i);
                double max = lw.Max();
                double total = lw.Sum(v => Math.Exp((1 - alpha) * (v - max)));
                for (int k = 0; k < K; k++)
                {
                    double wbar = Math.Exp((1 - alpha) * (lw[k] - max)) / total;
                    coefficient[(s * K + k) * groups + g] = alpha * wbar + (1 - alpha) * wbar * wbar;
                }
            }
        double Surrogate(double[] loc)
        {
            double sum = 0;
            for (int p = 0; p < particles; p++)
                for (int i = 0; i < n; i++) sum += coefficient[p * groups + (local ? i : 0)] * PointLogWeight(loc, p, i);
            return sum / S;
        }
        for (int j = 0; j < loc0.Length; j++)
        {
            const double h = 1e-5;
            var up = (double[])loc0.Clone();
            var down = (double[])loc0.Clone();
            up[j] += h;
            down[j] -= h;
            double numeric = (Surrogate(up) - Surrogate(down)) / (2 * h);
            Assert.True(Math.Abs(numeric - analytic[j]) <= 1e-6 * Math.Max(1, Math.Abs(numeric)),
                $"loc[{j}]: DReG gradient {analytic[j]}, finite difference of the frozen-coefficient surrogate {numeric}");
        }
    }
}
