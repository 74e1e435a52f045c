namespace Vinfer.Experiments.ImportanceWeighting;

/// <summary>
/// One measured point: the estimator ("iwae", "dreg", "vr-iwae", "vr-iwae-dreg"), the dimension d, the number of
/// importance samples K (or N), α, and the signal-to-noise ratio |E g| / sd(g) of the gradient of the bound with
/// respect to a_1 and b_1 over <see cref="Copies"/> independent estimates, with the mean and sd behind each.
/// </summary>
public sealed record IwSnrPoint(string Estimator, int Dimension, int Samples, double Alpha, int Copies,
    double MeanA, double SdA, double MeanB, double SdB, double Seconds)
{
    /// <summary>SNR of the a_1 gradient.</summary>
    public double SnrA => Math.Abs(MeanA) / SdA;

    /// <summary>SNR of the b_1 gradient.</summary>
    public double SnrB => Math.Abs(MeanB) / SdB;
}
