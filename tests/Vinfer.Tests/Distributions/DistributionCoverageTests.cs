using System.Reflection;
using Vinfer.Distributions;
using Xunit.Sdk;

namespace Vinfer.Tests.Distributions;

/// <summary>
/// Reflection-enforced coverage of distributions and bijectors: every public non-abstract <see cref="Distribution"/>
/// of the Vinfer assembly has a <see cref="DistributionRegistry"/> entry whose tests exist, and every public
/// non-abstract <see cref="Bijector"/> is a case of <see cref="BijectorTests"/> (inverse, log|det J| against the
/// numerical Jacobian, gradients through the harness).
/// </summary>
public class DistributionCoverageTests
{
    private static List<Type> PublicConcrete<TBase>() =>
        typeof(TBase).Assembly.GetExportedTypes()
            .Where(t => t.IsClass && !t.IsAbstract && typeof(TBase).IsAssignableFrom(t))
            .OrderBy(t => t.Name)
            .ToList();

    [Fact]
    public void EveryPublicDistributionHasARegistryEntry()
    {
        var types = PublicConcrete<Distribution>();
        Assert.True(types.Count >= 30, $"reflection found only {types.Count} distributions");
        var covered = DistributionRegistry.All.Select(e => e.Distribution).ToList();
        var missing = types.Where(t => !covered.Contains(t)).Select(t => t.Name).ToList();
        Assert.True(missing.Count == 0, "distributions without a log-density and gradient entry in DistributionRegistry: " + string.Join(", ", missing));
        var stale = covered.Where(t => !types.Contains(t)).Select(t => t.Name).ToList();
        Assert.True(stale.Count == 0, "registry entries for types that are not public concrete distributions: " + string.Join(", ", stale));
        var duplicated = covered.GroupBy(t => t).Where(g => g.Count() > 1).Select(g => g.Key.Name).ToList();
        Assert.True(duplicated.Count == 0, "distributions with more than one entry: " + string.Join(", ", duplicated));
    }

    public static TheoryData<string> Distributions()
    {
        var d = new TheoryData<string>();
        foreach (var e in DistributionRegistry.All) d.Add(e.Distribution.Name);
        return d;
    }

    [Theory, MemberData(nameof(Distributions))]
    public void RegistryEntryPointsAtRealTests(string distribution)
    {
        var e = DistributionRegistry.All.Single(x => x.Distribution.Name == distribution);
        AssertIsATest(e.LogDensity, distribution + " log-density");
        AssertIsATest(e.Gradient, distribution + " gradient");
    }

    /// <summary>The reference names a public [Fact] or [Theory] of a public test class, and a theory row it really has.</summary>
    private static void AssertIsATest(DistributionRegistry.TestReference reference, string what)
    {
        Assert.True(reference.TestClass.IsPublic, $"{what}: {reference.TestClass.Name} is not a public test class");
        var method = reference.TestClass.GetMethod(reference.Method, BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static);
        Assert.True(method is not null, $"{what}: {reference} does not exist");
        var fact = method!.GetCustomAttribute<FactAttribute>();
        Assert.True(fact is not null, $"{what}: {reference} is not a [Fact] or [Theory]");
        Assert.True(fact!.Skip is null, $"{what}: {reference} is skipped");
        if (reference.Row is null) return;
        Assert.True(fact is TheoryAttribute, $"{what}: {reference} names a row but is not a theory");
        var rows = method.GetCustomAttributes<DataAttribute>().SelectMany(a => a.GetData(method)).ToList();
        Assert.True(rows.Any(r => r.Length > 0 && Equals(r[0], reference.Row)), $"{what}: {reference.TestClass.Name}.{reference.Method} has no row \"{reference.Row}\"");
    }

    [Fact]
    public void EveryPublicBijectorIsABijectorTestCase()
    {
        var types = PublicConcrete<Bijector>();
        Assert.True(types.Count >= 15, $"reflection found only {types.Count} bijectors");
        // Flows (Vinfer.Flows) are covered by FlowTests' cases, which run the same inverse, log|det J| and gradient checks.
        var covered = BijectorTests.Cases.Select(c => c.Bijector.GetType())
            .Concat(((IEnumerable<object[]>)Flows.FlowTests.Cases()).Select(row => (Flows.FlowTests.Case)row[0]).Select(c => c.Build(c.Parameters).GetType()))
            .ToHashSet();
        var missing = types.Where(t => !covered.Contains(t)).Select(t => t.Name).ToList();
        Assert.True(missing.Count == 0, "bijectors without a case in BijectorTests or FlowTests (inverse, log|det J|, gradients): " + string.Join(", ", missing));
    }
}
