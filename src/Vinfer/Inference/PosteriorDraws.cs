namespace Vinfer.Inference;

/// <summary>
/// Draws from a fitted posterior on the constrained scale: one column per scalar parameter (Stan names), one row per
/// draw, plus the log-densities of each draw under the model (log p(x, z)) and the guide (log q(z)).
/// </summary>
public sealed class PosteriorDraws
{
    /// <summary>Creates a draws table; <paramref name="values"/> is row-major [draw, parameter].</summary>
    public PosteriorDraws(string[] names, double[] values, double[] logP, double[] logQ)
    {
        int n = logP.Length;
        if (logQ.Length != n) throw new ArgumentException($"PosteriorDraws: {n} log p values but {logQ.Length} log q values.");
        if (values.Length != n * names.Length)
            throw new ArgumentException($"PosteriorDraws: {values.Length} values do not fill {n} draws × {names.Length} parameters.");
        Names = names;
        Values = values;
        LogP = logP;
        LogQ = logQ;
    }

    /// <summary>The scalar parameter names (Stan style), latent sites first then deterministic sites, in model order.</summary>
    public string[] Names { get; }

    /// <summary>The draws, row-major [draw, parameter].</summary>
    public double[] Values { get; }

    /// <summary>log p(x, z) of each draw.</summary>
    public double[] LogP { get; }

    /// <summary>log q(z) of each draw.</summary>
    public double[] LogQ { get; }

    /// <summary>
    /// Draws the model could not score because a value overflowed to a non-finite parameter (see
    /// <see cref="PosteriorSampler"/>): their log p is −∞, so their importance weight is 0.
    /// </summary>
    public int Unscored { get; init; }

    /// <summary>Number of draws.</summary>
    public int Count => LogP.Length;

    /// <summary>The draws of one parameter.</summary>
    public double[] Column(int parameter)
    {
        var c = new double[Count];
        for (int i = 0; i < c.Length; i++) c[i] = Values[i * Names.Length + parameter];
        return c;
    }

    /// <summary>The draws of the parameter with this (Stan) name.</summary>
    public double[] Column(string name)
    {
        int j = Array.IndexOf(Names, name);
        if (j < 0) throw new KeyNotFoundException($"PosteriorDraws: no parameter named '{name}'.");
        return Column(j);
    }

    /// <summary>The importance log-ratios log p(x, z) − log q(z), one per draw (what PSIS smooths).</summary>
    public double[] LogRatios()
    {
        var r = new double[Count];
        for (int i = 0; i < r.Length; i++) r[i] = LogP[i] - LogQ[i];
        return r;
    }
}
