using BenchmarkDotNet.Attributes;
using Vinfer.Tensors;

namespace Vinfer.Benchmarks;

/// <summary>
/// Per-op overhead on tiny tensors (1 and 4 elements): a + b and x.Exp(), with and without a TensorScope (pooled
/// buffers) and with and without RequiresGrad (a graph node per op). Each invocation runs <see cref="Ops"/> ops, so
/// the reported time is per op; the scope's own cost is amortized over them, as in a training step.
/// Target: under 250 ns per op. Run: <c>dotnet run -c Release --project bench/Vinfer.Benchmarks -- --filter *TinyOp*</c>.
/// </summary>
[MemoryDiagnoser, MinColumn]
public class TinyOpBenchmarks
{
    private const int Ops = 100;

    /// <summary>Elements per tensor.</summary>
    [Params(1, 4)] public int N;

    /// <summary>Whether the ops run inside a TensorScope.</summary>
    [Params(false, true)] public bool Scoped;

    /// <summary>Whether the inputs require a gradient (each op then records a node).</summary>
    [Params(false, true)] public bool Grad;

    private Tensor _a = null!, _b = null!;

    [GlobalSetup]
    public void Setup()
    {
        var va = new double[N]; var vb = new double[N];
        for (int i = 0; i < N; i++) { va[i] = 0.1 * (i + 1); vb[i] = 0.2 * (i + 1); }
        _a = Grad ? Tensor.Parameter(va) : Tensor.FromArray(va);
        _b = Grad ? Tensor.Parameter(vb) : Tensor.FromArray(vb);
    }

    [Benchmark(OperationsPerInvoke = Ops)]
    public double Add()
    {
        if (!Scoped) return AddLoop();
        using var scope = new TensorScope();
        return AddLoop();
    }

    [Benchmark(OperationsPerInvoke = Ops)]
    public double Exp()
    {
        if (!Scoped) return ExpLoop();
        using var scope = new TensorScope();
        return ExpLoop();
    }

    private double AddLoop()
    {
        double acc = 0;
        for (int i = 0; i < Ops; i++) acc += (_a + _b).Span[0];
        return acc;
    }

    private double ExpLoop()
    {
        double acc = 0;
        for (int i = 0; i < Ops; i++) acc += _a.Exp().Span[0];
        return acc;
    }
}
