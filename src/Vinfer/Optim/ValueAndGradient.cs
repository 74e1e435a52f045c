namespace Vinfer.Optim;

/// <summary>
/// A smooth function for <see cref="Lbfgs"/> and <see cref="StrongWolfeLineSearch"/>: returns f(x) and writes ∇f(x)
/// into <paramref name="gradient"/> (same length as <paramref name="x"/>). A value that is not finite (NaN or ±∞) means
/// "outside the domain": the line search then shortens the step.
/// </summary>
public delegate double ValueAndGradient(ReadOnlySpan<double> x, Span<double> gradient);
