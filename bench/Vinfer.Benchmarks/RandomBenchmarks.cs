using BenchmarkDotNet.Attributes;
using Vinfer.Random;

namespace Vinfer.Benchmarks;

/// <summary>
/// Throughput of the counter-based samplers: one fill of 2^20 doubles per invocation (divide 2^20 by the mean
/// time for draws per second), on 1 thread and on all cores. Peer: MathNet.Numerics' samplers over
/// System.Random (xoshiro256**), single-threaded, in the same run.
/// Run: dotnet run -c Release --project bench/Vinfer.Benchmarks -- --filter '*RandomBenchmarks*'
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 8)]
[MemoryDiagnoser]
public class RandomBenchmarks
{
    private const int Count = 1 << 20;
    private readonly double[] destination = new double[Count];
    private readonly int[] categories = new int[Count];
    private readonly double[] weights = Enumerable.Range(1, 16).Select(i => (double)i).ToArray();
    private readonly System.Random peer = new(1);
    private RandomKey key = new(42);

    /// <summary>Upper bound on fill threads (1, or the machine's cores).</summary>
    [Params(1, 0)]
    public int Threads { get; set; }

    private IDisposable Limit() => ParallelFill.LimitThreads(Threads == 0 ? Environment.ProcessorCount : Threads);

    [Benchmark] public void Uniform() { using (Limit()) Sample.Uniform(key, destination); }
    [Benchmark] public void Normal() { using (Limit()) Sample.Normal(key, destination); }
    [Benchmark] public void Exponential() { using (Limit()) Sample.Exponential(key, destination); }
    [Benchmark] public void Gamma2_5() { using (Limit()) Sample.Gamma(key, 2.5, destination); }
    [Benchmark] public void Gamma0_3() { using (Limit()) Sample.Gamma(key, 0.3, destination); }
    [Benchmark] public void Beta() { using (Limit()) Sample.Beta(key, 2, 3, destination); }
    [Benchmark] public void Poisson4() { using (Limit()) Sample.Poisson(key, 4, destination); }
    [Benchmark] public void Poisson100() { using (Limit()) Sample.Poisson(key, 100, destination); }
    [Benchmark] public void Categorical16() { using (Limit()) Sample.Categorical(key, weights, categories); }

    [Benchmark] public void PeerMathNetNormal() => MathNet.Numerics.Distributions.Normal.Samples(peer, destination, 0, 1);
    [Benchmark] public void PeerMathNetGamma2_5() => MathNet.Numerics.Distributions.Gamma.Samples(peer, destination, 2.5, 1);
}
