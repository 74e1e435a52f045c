using Vinfer.Random;

namespace Vinfer.Tests.Random;

public class PhiloxTests
{
    // Random123's published known-answer vectors for Philox4x32-10 (its tests/kat_vectors file).
    [Theory]
    [InlineData(0u, 0u, 0u, 0u, 0u, 0u, 0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u)]
    [InlineData(0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu,
        0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu)]
    [InlineData(0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u, 0xa4093822u, 0x299f31d0u,
        0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u)]
    public void MatchesRandom123KnownAnswers(uint c0, uint c1, uint c2, uint c3, uint k0, uint k1,
        uint x0, uint x1, uint x2, uint x3)
    {
        Assert.Equal(new PhiloxBlock(x0, x1, x2, x3), Philox4x32.Generate(c0, c1, c2, c3, k0, k1));
    }

    [Fact]
    public void OpenUnitNeverReachesZeroOrOne()
    {
        double smallest = Philox4x32.ToOpenUnit(0, 0);
        double largest = Philox4x32.ToOpenUnit(uint.MaxValue, uint.MaxValue);
        Assert.Equal(Math.Pow(2, -53), smallest);
        Assert.Equal(1 - Math.Pow(2, -53), largest);
        Assert.True(largest < 1);
        Assert.Equal(0.5 + Math.Pow(2, -53), Philox4x32.ToOpenUnit(0, 0x80000000u));
    }
}
