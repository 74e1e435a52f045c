using System.Reflection;
using Vinfer.Autodiff;
using Vinfer.Tensors;

using Vinfer.Tensors.Kernels;

namespace Vinfer.Tests.Tensors;

/// <summary>
/// Runs every entry of <see cref="OpGradientRegistry"/> through <see cref="GradientCheck"/> on several random shapes
/// and inputs, and fails when a public op of <see cref="Tensor"/> has neither an entry nor a place on the
/// non-differentiable list.
/// </summary>
public class OpCoverageTests
{
    private const int SeedsPerCase = 4;

    public static TheoryData<string> CaseLabels
    {
        get
        {
            var d = new TheoryData<string>();
            foreach (var c in OpGradientRegistry.All) d.Add(c.Label);
            return d;
        }
    }

    [Theory, MemberData(nameof(CaseLabels))]
    public void GradientMatchesFiniteDifferences(string label)
    {
        var c = OpGradientRegistry.All.Single(x => x.Label == label);
        for (int seed = 1; seed <= SeedsPerCase; seed++)
        {
            var rng = new System.Random(1000 * seed + label.Length);
            var instance = c.Make(rng);
            var r = GradientCheck.Check(instance.F, instance.Inputs, tolerance: c.Tolerance);
            string shapes = string.Join(" ", instance.Inputs.Select(t => Shapes.Format(t.Shape)));
            Assert.True(r.Passed, $"{c.Label} (seed {seed}, inputs {shapes}): {r}");
        }
    }

    /// <summary>The signature as the registry spells it: <c>Name(Type,Type)</c>.</summary>
    internal static string Signature(MethodInfo m) =>
        $"{m.Name}({string.Join(",", m.GetParameters().Select(p => p.ParameterType.Name))})";

    [Fact]
    public void EveryPublicDifferentiableOpHasAGradientCase()
    {
        var ops = typeof(Tensor).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
            .Where(m => m.ReturnType == typeof(Tensor) || m.ReturnType == typeof(Tensor[]))
            .Select(Signature)
            .Distinct()
            .ToList();
        Assert.True(ops.Count > 60, $"reflection found only {ops.Count} ops");
        var covered = OpGradientRegistry.All.Select(c => c.Op).ToHashSet();
        var missing = ops.Where(s => !covered.Contains(s) && !OpGradientRegistry.NonDifferentiable.Contains(s)).ToList();
        Assert.True(missing.Count == 0, "ops without a gradient case: " + string.Join("; ", missing));
        // and the registry names no op that does not exist (a renamed op must not leave a stale entry behind)
        var stale = covered.Concat(OpGradientRegistry.NonDifferentiable).Where(s => !ops.Contains(s)).ToList();
        Assert.True(stale.Count == 0, "registry entries for ops that do not exist: " + string.Join("; ", stale));
    }

    [Fact]
    public void LabelsAreUnique()
    {
        var dup = OpGradientRegistry.All.GroupBy(c => c.Label).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.Empty(dup);
    }
}
