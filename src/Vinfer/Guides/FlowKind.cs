namespace Vinfer.Guides;

/// <summary>The layers an <see cref="AutoNormalizingFlow"/> stacks.</summary>
public enum FlowKind
{
    /// <summary>Planar flows (Rezende and Mohamed 2015).</summary>
    Planar,
    /// <summary>Radial flows (Rezende and Mohamed 2015).</summary>
    Radial,
    /// <summary>RealNVP affine coupling layers with ActNorm and reversals between them (Dinh et al. 2017).</summary>
    AffineCoupling,
    /// <summary>Inverse autoregressive flows on MADE, reversals between them (Kingma et al. 2016).</summary>
    Iaf,
    /// <summary>Masked autoregressive flows on MADE, reversals between them (Papamakarios et al. 2017): d network passes per draw.</summary>
    Maf,
    /// <summary>Rational-quadratic spline coupling layers with ActNorm and reversals (neural spline flows, Durkan et al. 2019); autoregressive splines when d = 1.</summary>
    SplineCoupling,
    /// <summary>Rational-quadratic autoregressive spline layers on MADE with reversals (Durkan et al. 2019).</summary>
    SplineAutoregressive,
}
