using BenchmarkDotNet.Attributes;
using Vinfer.Optim;
using Vinfer.Tensors;

namespace Vinfer.Benchmarks;

/// <summary>One optimizer step over a 10⁶-element parameter (peer: bench/peers/optim_step.py, torch.optim in float64).</summary>
[MemoryDiagnoser]
public class OptimizerStepBenchmarks
{
    private KeyValuePair<string, Tensor>[] _parameters = [];
    private Optimizer _sgd = null!, _adam = null!, _clippedAdam = null!, _advi = null!, _rmsprop = null!;

    [Params(1_000_000)]
    public int N;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new System.Random(1);
        var values = new double[N];
        var grad = new double[N];
        for (int i = 0; i < N; i++) { values[i] = rng.NextDouble(); grad[i] = rng.NextDouble() - 0.5; }
        var p = Tensor.Parameter(values, N);
        p.Grad = Tensor.FromArray(grad, N);
        _parameters = [new("p", p)];
        _sgd = new Sgd(1e-6, momentum: 0.9);
        _adam = new Adam(1e-6);
        _clippedAdam = new ClippedAdam(1e-6);
        _advi = new AdviStepSize(1e-6);
        _rmsprop = new RmsProp(1e-6);
        foreach (var o in new[] { _sgd, _adam, _clippedAdam, _advi, _rmsprop }) o.Step(_parameters);
    }

    [Benchmark] public void SgdMomentum() => _sgd.Step(_parameters);
    [Benchmark(Baseline = true)] public void Adam() => _adam.Step(_parameters);
    [Benchmark] public void ClippedAdam() => _clippedAdam.Step(_parameters);
    [Benchmark] public void AdviStepSize() => _advi.Step(_parameters);
    [Benchmark] public void RmsProp() => _rmsprop.Step(_parameters);
}
