using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Nn;

/// <summary>
/// Inverted dropout (Srivastava et al. 2014): in training mode each element is zeroed with probability p and the
/// survivors are scaled by 1/(1 − p), so the expected output equals the input; in evaluation mode it is the identity.
/// The masks are drawn from <see cref="RandomStream"/> keys, one per call, so a run is reproducible from its seed.
/// </summary>
public sealed class Dropout : Module
{
    private readonly RandomStream _random;

    /// <summary>Creates the layer.</summary>
    /// <param name="name">The module's name (it has no parameters).</param>
    /// <param name="probability">p ∈ [0, 1], the probability of zeroing an element.</param>
    /// <param name="random">The stream each call's mask key is taken from.</param>
    public Dropout(string name, double probability, RandomStream random) : base(name)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (!(probability >= 0 && probability <= 1))
            throw new ArgumentOutOfRangeException(nameof(probability), probability, $"Dropout '{name}': probability must be in [0, 1], got {probability}.");
        Probability = probability;
        _random = random;
    }

    /// <summary>p.</summary>
    public double Probability { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!IsTraining || Probability == 0) return input;
        var mask = Tensor.Zeros(input.Shape.ToArray());
        if (Probability < 1)
        {
            var m = mask.Span;
            Sample.Uniform(_random.NextKey(), m);
            double keep = 1 / (1 - Probability);
            for (int i = 0; i < m.Length; i++) m[i] = m[i] >= Probability ? keep : 0;
        }
        return input * mask;
    }
}
