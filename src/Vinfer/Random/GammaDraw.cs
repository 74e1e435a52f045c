namespace Vinfer.Random;

/// <summary>
/// Gamma(shape, 1) draws on an element's sub-stream by Marsaglia and Tsang, "A simple method for generating
/// gamma variables", ACM TOMS 26(3), 2000: for shape ≥ 1, squeeze-and-reject on d·(1 + c·z)^3 with
/// d = shape − 1/3, c = 1/√(9d) (acceptance ≥ 95 %); for shape &lt; 1 their boost,
/// Gamma(shape) = Gamma(shape + 1)·U^(1/shape).
/// </summary>
internal static class GammaDraw
{
    /// <summary>A Gamma(shape, 1) draw; underflows to 0 for tiny shapes exactly when the true value does.</summary>
    internal static double Standard(ref ElementStream stream, double shape)
    {
        if (shape >= 1) return MarsagliaTsang(ref stream, shape, out double v) * v;
        double boosted = MarsagliaTsang(ref stream, shape + 1, out double w) * w;
        return boosted * Math.Pow(stream.NextUniform(), 1 / shape);
    }

    /// <summary>
    /// The natural log of a Gamma(shape, 1) draw, computed in log space: log G(shape + 1) + log(U)/shape. For
    /// tiny shapes (say 1e-3, where about half of all draws are below 1e-308) the draw itself underflows but
    /// its log is accurate. Consumes the sub-stream exactly as <see cref="Standard"/> does, so for the same stream
    /// exp(Log) equals Standard up to rounding.
    /// </summary>
    internal static double Log(ref ElementStream stream, double shape)
    {
        if (shape >= 1) return Math.Log(MarsagliaTsang(ref stream, shape, out double v)) + Math.Log(v);
        double logBoosted = Math.Log(MarsagliaTsang(ref stream, shape + 1, out double w)) + Math.Log(w);
        return logBoosted + Math.Log(stream.NextUniform()) / shape;
    }

    /// <summary>Returns d = shape − 1/3 and the accepted v = (1 + c·z)^3; the draw is d·v.</summary>
    private static double MarsagliaTsang(ref ElementStream stream, double shape, out double v)
    {
        double d = shape - 1.0 / 3.0;
        double c = 1.0 / Math.Sqrt(9.0 * d);
        while (true)
        {
            double z = stream.NextNormal();
            double t = 1.0 + c * z;
            if (t <= 0) continue;
            v = t * t * t;
            double u = stream.NextUniform();
            double z2 = z * z;
            if (u < 1.0 - 0.0331 * z2 * z2) return d;
            if (Math.Log(u) < 0.5 * z2 + d * (1.0 - v + Math.Log(v))) return d;
        }
    }
}
