namespace Vinfer.Distributions;

/// <summary>
/// A distribution's parameter is NaN or infinite where its constraint needs a finite number: the model was evaluated at a
/// point it cannot score, which in a fit means a guide draw overflowed (a constrained latent such as τ = exp(log τ) with
/// log τ &gt; 709), not that the model is wrong. An <see cref="ArgumentException"/>, so callers that report bad input
/// still do; <see cref="Inference.Svi"/> treats it as a non-finite step.
/// </summary>
public sealed class NonFiniteParameterException(string message, string parameter) : ArgumentException(message, parameter);
