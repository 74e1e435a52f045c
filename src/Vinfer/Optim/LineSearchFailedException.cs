namespace Vinfer.Optim;

/// <summary>
/// The strong-Wolfe line search (<see cref="StrongWolfeLineSearch"/>) found no acceptable step: the message names the
/// condition that could not be met, the steps tried and the function values seen.
/// </summary>
public sealed class LineSearchFailedException : InvalidOperationException
{
    /// <summary>A failure described by <paramref name="message"/>.</summary>
    public LineSearchFailedException(string message) : base(message) { }

    /// <summary>A failure described by <paramref name="message"/>, caused by <paramref name="inner"/>.</summary>
    public LineSearchFailedException(string message, Exception inner) : base(message, inner) { }

    /// <summary>A failure with the default message.</summary>
    public LineSearchFailedException() : base("The strong-Wolfe line search failed.") { }
}
