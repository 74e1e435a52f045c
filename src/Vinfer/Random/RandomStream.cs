namespace Vinfer.Random;

/// <summary>
/// A convenience source of fresh <see cref="RandomKey"/>s: the n-th call of <see cref="NextKey"/> returns
/// child n of the root key. Same seed and same sequence of calls give bit-identical draws.
/// </summary>
/// <remarks>
/// The stream holds only a counter, so it is cheap to create and to <see cref="Split"/>. <see cref="NextKey"/> is
/// thread-safe, but which thread gets which key then depends on scheduling: for reproducible parallel code,
/// give each task its own <see cref="Split"/> stream or <see cref="RandomKey.Child"/> key before starting it.
/// </remarks>
public sealed class RandomStream
{
    private long next;

    /// <summary>The stream whose keys are the children of <paramref name="root"/>.</summary>
    public RandomStream(RandomKey root) => Root = root;

    /// <summary>The stream for a seed.</summary>
    public RandomStream(ulong seed) : this(new RandomKey(seed)) { }

    /// <summary>The root key; never handed out itself.</summary>
    public RandomKey Root { get; }

    /// <summary>How many keys have been handed out (by <see cref="NextKey"/> and <see cref="Split"/>).</summary>
    public long Position => Interlocked.Read(ref next);

    /// <summary>A fresh key for one draw.</summary>
    public RandomKey NextKey() => Root.Child(Interlocked.Increment(ref next) - 1);

    /// <summary>A stream at the same root and position that advances on its own (to evaluate the same draws twice).</summary>
    public RandomStream Copy() => new(Root) { next = Position };

    /// <summary>An independent child stream (rooted at the next key).</summary>
    public RandomStream Split() => new(NextKey().Fold(StreamTags.Split));
}
