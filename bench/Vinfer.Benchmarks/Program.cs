using BenchmarkDotNet.Running;
using Vinfer.Benchmarks;

// Micro-benchmarks (BenchmarkDotNet). The peer comparisons with ratios are `vinfer bench …` plus bench/peers/*.py.
// `matmul-gflops` prints a quick GFLOPS table of the BLAS backends without BenchmarkDotNet's long runs.
if (args is ["matmul-gflops", ..])
{
    MatMulBenchmarks.PrintGflops();
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

public partial class Program { }
