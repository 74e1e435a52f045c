namespace Vinfer.Conjugate;

/// <summary>How a conjugate model is fitted.</summary>
public enum VariationalMethod
{
    /// <summary>Batch coordinate ascent (<see cref="CoordinateAscent"/>).</summary>
    CoordinateAscent,

    /// <summary>Stochastic natural-gradient VI on minibatches (<see cref="StochasticVariationalInference"/>).</summary>
    Stochastic,
}
