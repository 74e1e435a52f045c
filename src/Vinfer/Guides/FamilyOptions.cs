namespace Vinfer.Guides;

/// <summary>Settings a <see cref="VariationalFamily"/> may read when it builds its guide.</summary>
public sealed record FamilyOptions
{
    /// <summary>The rank of low-rank families (<see cref="AutoLowRankMultivariateNormal"/>).</summary>
    public int Rank { get; init; } = 2;
}
