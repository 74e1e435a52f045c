using Vinfer.Data;

namespace Vinfer.Experiments.Posteriordb.Models;

/// <summary>
/// posteriordb <c>eight_schools-eight_schools_noncentered</c>: the library's non-centred eight-schools model
/// (<see cref="Vinfer.Models.EightSchools"/>, θ = μ + τ·θ̃ recorded as a deterministic site) on the suite's data.
/// </summary>
public sealed class EightSchoolsNoncentered : PosteriordbModel
{
    private static readonly Vinfer.Models.EightSchools Model = new();

    /// <inheritdoc />
    public override string Name => "eight_schools-eight_schools_noncentered";

    /// <inheritdoc />
    public override string Description => "posteriordb eight_schools-eight_schools_noncentered: eight schools, non-centred parameterisation.";

    /// <inheritdoc />
    public override Action Bind(StanData data) => Model.Bind(data);
}
