using Vinfer.Distributions;
using Vinfer.Tensors;

namespace Vinfer.Tests.Distributions;

/// <summary>
/// One scalar continuous distribution as the table-driven tests see it: how to build it from parameter tensors,
/// how to draw random parameters (spread over orders of magnitude) and values (including the tails), and the
/// reference log-density and CDF (MathNet.Numerics or the closed form).
/// </summary>
internal sealed record ScalarContinuousCase(
    string Name,
    Func<Tensor[], Distribution> Create,
    Func<int, int, Tensor[]> RandomParameters,
    Func<int, Tensor[], Tensor> RandomValues,
    Func<double[], double, double> ReferenceLogDensity,
    Func<double[], double, double> ReferenceCdf,
    double[] SampleParameters,
    double? Mean,
    double? Variance)
{
    /// <inheritdoc />
    public override string ToString() => Name;
}
