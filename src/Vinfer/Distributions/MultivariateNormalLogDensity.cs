using Vinfer.Tensors;
using Vinfer.Tensors.Kernels;

namespace Vinfer.Distributions;

/// <summary>
/// The fused MVN log-density by Cholesky factor: with r = x − μ and w = L⁻¹r (forward substitution),
/// log p = −½ wᵀw − Σ log Lᵢᵢ − (d/2) log 2π, and in the same pass, with v = L⁻ᵀw,
/// ∂/∂x = −v, ∂/∂μ = v, ∂/∂L = tril(v wᵀ) − diag(1/Lᵢᵢ). Inputs are expanded to a common batch shape first.
/// </summary>
internal static class MultivariateNormalLogDensity
{
    public static Tensor Apply(Tensor x, Tensor loc, Tensor scaleTril)
    {
        int d = loc.Dim(-1);
        if (x.Rank < 1 || x.Dim(-1) != d)
            throw new ArgumentException($"MultivariateNormal.LogProb: the value's last dimension must be {d}, got shape {Shapes.Format(x.Shape)}.");
        var batch = Shapes.Broadcast(Shapes.Broadcast(x.Shape[..^1], loc.Shape[..^1], "MultivariateNormal.LogProb"), scaleTril.Shape[..^2], "MultivariateNormal.LogProb");
        int[] vecShape = [.. batch, d], matShape = [.. batch, d, d];
        var xs = Shapes.Equal(x.Shape, vecShape) ? x : x.Expand(vecShape);
        var mu = Shapes.Equal(loc.Shape, vecShape) ? loc : loc.Expand(vecShape);
        var l = Shapes.Equal(scaleTril.Shape, matShape) ? scaleTril : scaleTril.Expand(matShape);
        var logp = Tensor.Uninitialized(batch);
        bool grads = Autograd.ShouldRecord(xs, mu, l);
        var gv = grads ? Tensor.Uninitialized(vecShape) : null;
        var gl = grads ? Tensor.Uninitialized(matShape) : null;
        var X = xs.Span; var M = mu.Span; var L = l.Span; var P = logp.Span;
        var w = new double[d]; var v = new double[d];
        for (int b = 0; b < P.Length; b++)
        {
            var lb = L.Slice(b * d * d, d * d);
            double quad = 0, logDet = 0;
            for (int i = 0; i < d; i++)
            {
                double acc = X[b * d + i] - M[b * d + i];
                for (int k = 0; k < i; k++) acc -= lb[i * d + k] * w[k];
                w[i] = acc / lb[i * d + i];
                quad += w[i] * w[i];
                logDet += Math.Log(lb[i * d + i]);
            }
            P[b] = -0.5 * quad - logDet - d * SpecialFunctions.HalfLog2Pi;
            if (!grads) continue;
            for (int i = d - 1; i >= 0; i--)
            {
                double acc = w[i];
                for (int k = i + 1; k < d; k++) acc -= lb[k * d + i] * v[k];
                v[i] = acc / lb[i * d + i];
            }
            var gvs = gv!.Span; var gls = gl!.Span;
            for (int i = 0; i < d; i++)
            {
                gvs[b * d + i] = v[i];
                for (int j = 0; j < d; j++)
                    gls[b * d * d + i * d + j] = j > i ? 0 : v[i] * w[j] - (i == j ? 1 / lb[i * d + i] : 0);
            }
        }
        return grads ? Autograd.Record(logp, new MvnBackward(xs, mu, l, gv!, gl!, d)) : logp;
    }

    private sealed class MvnBackward(Tensor x, Tensor mu, Tensor l, Tensor v, Tensor gl, int d) : GradNode(x, mu, l)
    {
        public override string Name => "MultivariateNormalLogDensity";

        public override void Backward(Tensor output, Tensor g)
        {
            var gs = g.Span;
            if (Inputs[0].RequiresGrad || Inputs[1].RequiresGrad)
            {
                var dv = Tensor.Uninitialized(v.ShapeArray);
                var vs = v.Span; var ds = dv.Span;
                for (int i = 0; i < ds.Length; i++) ds[i] = vs[i] * gs[i / d];
                if (Inputs[0].RequiresGrad) Autograd.Accumulate(Inputs[0], -dv);
                if (Inputs[1].RequiresGrad) Autograd.Accumulate(Inputs[1], dv);
            }
            if (Inputs[2].RequiresGrad)
            {
                var dl = Tensor.Uninitialized(gl.ShapeArray);
                var ls = gl.Span; var ds = dl.Span;
                for (int i = 0; i < ds.Length; i++) ds[i] = ls[i] * gs[i / (d * d)];
                Autograd.AccumulateOwned(Inputs[2], dl);
            }
        }
    }
}
