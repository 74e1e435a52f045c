namespace Vinfer.Optim;

/// <summary>One point of an L-BFGS path (<see cref="Lbfgs.Minimize"/>): the iteration number (0 is the start), x, f(x) and ∇f(x).</summary>
/// <param name="Iteration">0 for the starting point, then 1, 2, … after each accepted step.</param>
/// <param name="X">The point (a copy).</param>
/// <param name="Value">f at the point.</param>
/// <param name="Gradient">∇f at the point (a copy).</param>
public sealed record LbfgsIterate(int Iteration, double[] X, double Value, double[] Gradient);
