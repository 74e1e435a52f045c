namespace Vinfer.Tests;

public class SmokeTests
{
    [Fact]
    public void VersionIsSet() => Assert.Equal("0.1.0", VinferInfo.Version);
}
