using Vinfer.Tensors;

namespace Vinfer.Flows;

/// <summary>
/// A fixed permutation of the coordinates, y = x[π] (the reversals and shuffles between coupling or autoregressive
/// layers of RealNVP, Dinh et al. ICLR 2017, and MAF, Papamakarios et al. NeurIPS 2017), with log|det J| = 0.
/// </summary>
public sealed class Permutation : Flow
{
    private readonly int[] _permutation, _inverse;

    /// <summary>y[i] = x[permutation[i]]; <paramref name="permutation"/> must hold 0…d−1 once each.</summary>
    public Permutation(int[] permutation)
    {
        ArgumentNullException.ThrowIfNull(permutation);
        _permutation = (int[])permutation.Clone();
        _inverse = new int[_permutation.Length];
        var seen = new bool[_permutation.Length];
        for (int i = 0; i < _permutation.Length; i++)
        {
            int p = _permutation[i];
            if (p < 0 || p >= _permutation.Length || seen[p])
                throw new ArgumentException($"Permutation: [{string.Join(", ", permutation)}] is not a permutation of 0…{permutation.Length - 1}.", nameof(permutation));
            seen[p] = true;
            _inverse[p] = i;
        }
    }

    /// <summary>The reversal d−1, …, 0.</summary>
    public static Permutation Reverse(int dimension) => new(Enumerable.Range(0, dimension).Reverse().ToArray());

    /// <inheritdoc/>
    public override int Dimension => _permutation.Length;

    /// <summary>The permutation (a copy).</summary>
    public int[] Indices => (int[])_permutation.Clone();

    /// <inheritdoc/>
    protected override Tensor ForwardCore(Tensor x) => x.IndexSelect(-1, _permutation);

    /// <inheritdoc/>
    protected override Tensor InverseCore(Tensor y) => y.IndexSelect(-1, _inverse);

    /// <inheritdoc/>
    public override Tensor LogAbsDetJacobian(Tensor x, Tensor y) => Tensor.Zeros(x.ShapeArray[..^1]);
}
