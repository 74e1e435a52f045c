using Vinfer.Distributions;
using Vinfer.Modeling;
using Xunit;

namespace Vinfer.Tests.Modeling;

public class ConstraintCodecTests
{
    [Fact]
    public void NonNegativeHasASavedFormThatDecodesToItself()
    {
        // eight_schools' tau (lower = 0 in its Stan program) is non-negative: its guide must save (approximation.json)
        Assert.Equal("non_negative", ConstraintCodec.Encode(Constraints.NonNegative));
        Assert.IsType<NonNegativeConstraint>(ConstraintCodec.Decode("non_negative"));
        Assert.Equal("independent:1:non_negative", ConstraintCodec.Encode(Constraints.Independent(Constraints.NonNegative, 1)));
        Assert.IsType<NonNegativeConstraint>(ConstraintCodec.Elementwise(ConstraintCodec.Decode("independent:1:non_negative")));
    }
}
