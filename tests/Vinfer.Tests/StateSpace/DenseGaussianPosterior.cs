using MathNet.Numerics.LinearAlgebra;
using Vinfer.StateSpace;

namespace Vinfer.Tests.StateSpace;

/// <summary>
/// Brute-force reference: the joint Gaussian of (x_0..x_T, y_1..y_T) built densely, conditioned on y by dense
/// linear algebra (MathNet). Exact for small T; independent of the recursions under test.
/// </summary>
internal sealed class DenseGaussianPosterior
{
    public DenseGaussianPosterior(LinearGaussianStateSpaceModel model, double[] observations)
    {
        int n = model.StateDimension, p = model.ObservationDimension, length = observations.Length / p;
        var f = Matrix<double>.Build.Dense(n, n, (i, j) => model.Transition[i * n + j]);
        var q = Matrix<double>.Build.Dense(n, n, (i, j) => model.TransitionCovariance[i * n + j]);
        var h = Matrix<double>.Build.Dense(p, n, (i, j) => model.Observation[i * n + j]);
        var r = Matrix<double>.Build.Dense(p, p, (i, j) => model.ObservationCovariance[i * p + j]);
        var marginalCov = new Matrix<double>[length + 1];
        var marginalMean = new Vector<double>[length + 1];
        marginalCov[0] = Matrix<double>.Build.Dense(n, n, (i, j) => model.InitialCovariance[i * n + j]);
        marginalMean[0] = Vector<double>.Build.Dense(model.InitialMean);
        for (int t = 1; t <= length; t++)
        {
            marginalCov[t] = f * marginalCov[t - 1] * f.Transpose() + q;
            marginalMean[t] = f * marginalMean[t - 1];
        }
        int nx = (length + 1) * n, ny = length * p;
        var sxx = Matrix<double>.Build.Dense(nx, nx);
        for (int t = 0; t <= length; t++)
        {
            var block = marginalCov[t];
            for (int s = t; s <= length; s++)
            {
                sxx.SetSubMatrix(s * n, t * n, block);
                sxx.SetSubMatrix(t * n, s * n, block.Transpose());
                block = f * block;
            }
        }
        var hBlock = Matrix<double>.Build.Dense(ny, nx);
        var rBlock = Matrix<double>.Build.Dense(ny, ny);
        for (int t = 1; t <= length; t++)
        {
            hBlock.SetSubMatrix((t - 1) * p, t * n, h);
            rBlock.SetSubMatrix((t - 1) * p, (t - 1) * p, r);
        }
        var mx = Vector<double>.Build.Dense(nx);
        for (int t = 0; t <= length; t++) mx.SetSubVector(t * n, n, marginalMean[t]);
        var my = hBlock * mx;
        var syy = hBlock * sxx * hBlock.Transpose() + rBlock;
        var sxy = sxx * hBlock.Transpose();
        var yv = Vector<double>.Build.Dense(observations);
        var chol = syy.Cholesky();
        var resid = yv - my;
        PosteriorMean = mx + sxy * chol.Solve(resid);
        PosteriorCovariance = sxx - sxy * chol.Solve(sxy.Transpose());
        LogLikelihood = -0.5 * (ny * Math.Log(2 * Math.PI) + chol.DeterminantLn + resid.DotProduct(chol.Solve(resid)));
        StateDimension = n;
    }

    public int StateDimension { get; }
    public Vector<double> PosteriorMean { get; }
    public Matrix<double> PosteriorCovariance { get; }
    public double LogLikelihood { get; }

    public double Mean(int t, int i) => PosteriorMean[t * StateDimension + i];
    public double Cov(int t, int i, int s, int j) => PosteriorCovariance[t * StateDimension + i, s * StateDimension + j];
}
