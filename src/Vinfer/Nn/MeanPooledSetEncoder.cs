using Vinfer.Tensors;

namespace Vinfer.Nn;

/// <summary>
/// A permutation-invariant encoder of sets by mean pooling (Deep Sets: Zaheer et al., "Deep Sets", NeurIPS 2017):
/// f(X) = ρ((1/M) Σᵢ φ(xᵢ)) for a set X = {x₁, …, x_M}, with an element encoder φ and a head ρ. Input
/// [S, M, …] (S sets of M elements of any shape), output [S, …] (the head's output per set). The mean, unlike a sum,
/// keeps the pooled features on one scale for every set size, so an encoder trained on sets of M elements can be
/// applied to a set of 1,000 (the rotated-MNIST study of McNamara, Loper and Regier, "Globally Convergent Variational
/// Inference", NeurIPS 2024, trains on small simulated sets and reads the observed set of N = 1,000 images).
/// </summary>
public sealed class MeanPooledSetEncoder : Module
{
    private readonly Module _element;
    private readonly Module _head;

    /// <summary>
    /// Creates the encoder from an element encoder φ (input [S·M, …] → [S·M, F]) and a head ρ ([S, F] → [S, …]);
    /// build both with names under this one's (e.g. <c>name.element</c>, <c>name.head</c>).
    /// </summary>
    public MeanPooledSetEncoder(string name, Module element, Module head) : base(name)
    {
        _element = Register(element ?? throw new ArgumentNullException(nameof(element)));
        _head = Register(head ?? throw new ArgumentNullException(nameof(head)));
    }

    /// <summary>φ, applied to every element.</summary>
    public Module Element => _element;

    /// <summary>ρ, applied to each set's mean feature.</summary>
    public Module Head => _head;

    /// <summary>The mean element feature of each set, [S, F], for input [S, M, …].</summary>
    public Tensor Pool(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank < 2 || input.Dim(0) < 1 || input.Dim(1) < 1)
            throw new ArgumentException($"{TypeName} '{Name}': expected input [S, M, …] with at least one set of at least one element, got shape {Format(input.Shape)}.", nameof(input));
        int sets = input.Dim(0), elements = input.Dim(1);
        var elementShape = input.ShapeArray[2..];
        var features = _element.Forward(input.Reshape([sets * elements, .. elementShape]));
        if (features.Rank != 2 || features.Dim(0) != sets * elements)
            throw new InvalidOperationException($"{TypeName} '{Name}': the element encoder returned shape {Format(features.Shape)}, expected [{sets * elements}, F].");
        return features.Reshape(sets, elements, features.Dim(1)).Mean(1);
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => _head.Forward(Pool(input));
}
