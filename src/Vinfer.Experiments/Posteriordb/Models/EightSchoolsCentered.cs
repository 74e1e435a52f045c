using Vinfer.Data;

namespace Vinfer.Experiments.Posteriordb.Models;

/// <summary>
/// posteriordb <c>eight_schools-eight_schools_centered</c>: the library's centred eight-schools model
/// (<see cref="Vinfer.Models.EightSchoolsCentered"/>) on the suite's data, under the suite's name.
/// </summary>
public sealed class EightSchoolsCentered : PosteriordbModel
{
    private static readonly Vinfer.Models.EightSchoolsCentered Model = new();

    /// <inheritdoc />
    public override string Name => "eight_schools-eight_schools_centered";

    /// <inheritdoc />
    public override string Description => "posteriordb eight_schools-eight_schools_centered: eight schools, centred parameterisation (funnel).";

    /// <inheritdoc />
    public override Action Bind(StanData data) => Model.Bind(data);
}
