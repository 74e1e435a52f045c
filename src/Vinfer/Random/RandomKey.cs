namespace Vinfer.Random;

/// <summary>
/// An immutable 64-bit key for the counter-based <see cref="Philox4x32"/> generator, in the style of JAX's
/// <c>PRNGKey</c>: a key names one random stream; <see cref="Child"/>, <see cref="Split()"/> and
/// <see cref="Fold"/> derive independent-looking keys from it without any shared state.
/// </summary>
/// <remarks>
/// Use each key for one draw (one <see cref="Sample"/> call). Two calls with the same key reuse the same random
/// bits, so their results are correlated (identical for the same sampler and parameters). Derived keys are the
/// Philox encryption of a domain-tagged counter under the parent key, so children of different parents, and
/// children of the same parent with different indices, are unrelated.
/// </remarks>
public readonly struct RandomKey : IEquatable<RandomKey>
{
    // The fourth counter word separates the uses of the key, so no two of them ever encrypt the same counter.
    internal const uint BlockDomain = 0;
    internal const uint ElementDomain = 0x454C4D54;   // "ELMT": per-element rejection sub-streams
    private const uint ChildDomain = 0x4348494C;      // "CHIL"
    private const uint FoldDomain = 0x464F4C44;       // "FOLD"

    /// <summary>Low key word.</summary>
    public uint K0 { get; }

    /// <summary>High key word.</summary>
    public uint K1 { get; }

    /// <summary>The key for a seed: equal seeds give equal keys and hence bit-identical draws.</summary>
    public RandomKey(ulong seed) : this((uint)seed, (uint)(seed >> 32)) { }

    /// <summary>A key from its two words.</summary>
    public RandomKey(uint k0, uint k1)
    {
        K0 = k0;
        K1 = k1;
    }

    /// <summary>The index-th child key. Children with different indices are independent streams.</summary>
    public RandomKey Child(long index)
    {
        var block = Philox4x32.Generate((uint)index, (uint)((ulong)index >> 32), 0, ChildDomain, K0, K1);
        return new RandomKey(block.X0, block.X1);
    }

    /// <summary>Two fresh keys (children 0 and 1); the parent should not be used again for drawing.</summary>
    public (RandomKey First, RandomKey Second) Split() => (Child(0), Child(1));

    /// <summary>Fills <paramref name="keys"/> with children 0, 1, …, keys.Length − 1.</summary>
    public void Split(Span<RandomKey> keys)
    {
        for (int i = 0; i < keys.Length; i++) keys[i] = Child(i);
    }

    /// <summary>
    /// Folds data (an iteration number, a data index, a site id…) into the key, as JAX's <c>fold_in</c>:
    /// a key for "this key, at this datum", distinct from <see cref="Child"/> of the same number.
    /// </summary>
    public RandomKey Fold(int data)
    {
        var block = Philox4x32.Generate((uint)data, 0, 0, FoldDomain, K0, K1);
        return new RandomKey(block.X0, block.X1);
    }

    /// <inheritdoc/>
    public bool Equals(RandomKey other) => K0 == other.K0 && K1 == other.K1;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is RandomKey other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(K0, K1);

    /// <summary>Equality of both key words.</summary>
    public static bool operator ==(RandomKey left, RandomKey right) => left.Equals(right);

    /// <summary>Inequality of either key word.</summary>
    public static bool operator !=(RandomKey left, RandomKey right) => !left.Equals(right);

    /// <inheritdoc/>
    public override string ToString() => $"RandomKey({K0:x8}{K1:x8})";
}
