using Vinfer.Modeling;
using Vinfer.Nn;
using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Tests.Nn;

public class AttentionTests
{
    [Fact]
    public void AttentionOpMatchesTheDirectFormula()
    {
        const int b = 2, nq = 3, nk = 4, e = 6, ev = 4, heads = 2;
        var q = ModuleGradient.Uniform(1, -1, 1, b, nq, e);
        var k = ModuleGradient.Uniform(2, -1, 1, b, nk, e);
        var v = ModuleGradient.Uniform(3, -1, 1, b, nk, ev);
        var o = q.Attention(k, v, heads);
        int dh = e / heads, dv = ev / heads;
        for (int s = 0; s < b; s++)
            for (int h = 0; h < heads; h++)
                for (int i = 0; i < nq; i++)
                {
                    var scores = new double[nk];
                    for (int j = 0; j < nk; j++)
                    {
                        for (int c = 0; c < dh; c++) scores[j] += q[s, i, h * dh + c] * k[s, j, h * dh + c];
                        scores[j] /= Math.Sqrt(dh);
                    }
                    double z = scores.Sum(Math.Exp);
                    for (int c = 0; c < dv; c++)
                    {
                        double expected = 0;
                        for (int j = 0; j < nk; j++) expected += Math.Exp(scores[j]) / z * v[s, j, h * dv + c];
                        Assert.Equal(expected, o[s, i, h * dv + c], 13);
                    }
                }
    }

    [Fact]
    public void SoftmaxIsStableAndNormalized()
    {
        var x = Tensor.FromArray([1000.0, 999.0, -1000.0, 0.0, 0.5, -0.5], 2, 3);
        var y = x.Softmax(-1);
        Assert.Equal(1 / (1 + Math.Exp(-1)), y[0, 0], 14);
        Assert.Equal(0.0, y[0, 2]);
        var column = x.Softmax(0);
        Assert.Equal(1.0, column[0, 0] + column[1, 0], 14);
    }

    [Fact]
    public void MultiheadAttentionGradientsMatchFiniteDifferences()
    {
        using (new ParamStore().Use())
        {
            var mha = new MultiheadAttention("mha", 4, 2, new RandomStream(1));
            var r = ModuleGradient.Check(mha, ModuleGradient.Uniform(5, -1, 1, 2, 3, 4));
            Assert.True(r.Passed, r.ToString());
            var memory = ModuleGradient.Uniform(6, -1, 1, 2, 5, 4);
            var cross = ModuleGradient.Check(mha, ModuleGradient.Uniform(5, -1, 1, 2, 3, 4), x => mha.Forward(x, memory, memory));
            Assert.True(cross.Passed, cross.ToString());
        }
    }

    [Fact]
    public void SetBlocksGradientsMatchFiniteDifferences()
    {
        using (new ParamStore().Use())
        {
            var sab = new SetAttentionBlock("sab", 4, 2, random: new RandomStream(2));
            var r1 = ModuleGradient.Check(sab, ModuleGradient.Uniform(7, -1, 1, 2, 3, 4), tolerance: 1e-5);
            Assert.True(r1.Passed, "SAB " + r1);
            var pma = new PoolingByMultiheadAttention("pma", 4, 2, seeds: 2, random: new RandomStream(3));
            var r2 = ModuleGradient.Check(pma, ModuleGradient.Uniform(8, -1, 1, 2, 3, 4), tolerance: 1e-5);
            Assert.True(r2.Passed, "PMA " + r2);
            var ln = ModuleGradient.Check(new LayerNorm("ln", 5), ModuleGradient.Uniform(9, -1, 1, 3, 5));
            Assert.True(ln.Passed, "LayerNorm " + ln);
        }
    }

    [Fact]
    public void SabIsPermutationEquivariantAndPmaInvariant()
    {
        var sab = new SetAttentionBlock("sab", 8, 4, random: new RandomStream(4));
        var pma = new PoolingByMultiheadAttention("pma", 8, 4, seeds: 1, random: new RandomStream(5));
        var x = ModuleGradient.Uniform(10, -1, 1, 1, 5, 8);
        int[] perm = [3, 0, 4, 2, 1];
        var xp = x.IndexSelect(1, perm);
        using (new ParamStore().Use())
        {
            var y = sab.Forward(x); var yp = sab.Forward(xp);
            var expected = y.IndexSelect(1, perm).ToArray(); var actual = yp.ToArray();
            for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 12);
            var p1 = pma.Forward(x).ToArray(); var p2 = pma.Forward(xp).ToArray();
            for (int i = 0; i < p1.Length; i++) Assert.Equal(p1[i], p2[i], 12);
            Assert.Equal([1, 1, 8], pma.Forward(x).Shape.ToArray());
        }
    }

    [Fact]
    public void LayerNormMatchesItsFormula()
    {
        var ln = new LayerNorm("ln", 4, 1e-5);
        var x = ModuleGradient.Uniform(11, -3, 3, 2, 4);
        using (new ParamStore().Use())
        {
            var y = ln.Forward(x);
            for (int r = 0; r < 2; r++)
            {
                double mean = 0, var = 0;
                for (int j = 0; j < 4; j++) mean += x[r, j] / 4;
                for (int j = 0; j < 4; j++) var += (x[r, j] - mean) * (x[r, j] - mean) / 4;
                for (int j = 0; j < 4; j++) Assert.Equal((x[r, j] - mean) / Math.Sqrt(var + 1e-5), y[r, j], 13);
            }
        }
    }

    [Fact]
    public void WidthNotAMultipleOfHeadsIsRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => new MultiheadAttention("mha", 10, 4));
        Assert.Contains("width 10 is not a multiple of heads 4", e.Message);
    }
}
