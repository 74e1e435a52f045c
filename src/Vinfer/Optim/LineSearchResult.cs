namespace Vinfer.Optim;

/// <summary>
/// An accepted step of <see cref="StrongWolfeLineSearch"/>: the step length α, f(x + α p), ∇f(x + α p) and the number
/// of function-and-gradient evaluations the search used.
/// </summary>
/// <param name="Step">The accepted step length α &gt; 0.</param>
/// <param name="Value">f(x + α p).</param>
/// <param name="Gradient">∇f(x + α p).</param>
/// <param name="Evaluations">Function-and-gradient evaluations made by the search.</param>
public sealed record LineSearchResult(double Step, double Value, double[] Gradient, int Evaluations);
