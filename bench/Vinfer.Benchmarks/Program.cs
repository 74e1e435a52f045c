using BenchmarkDotNet.Running;

// Micro-benchmarks (BenchmarkDotNet). The peer comparisons with ratios are `vinfer bench …` plus bench/peers/*.py.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

public partial class Program { }
