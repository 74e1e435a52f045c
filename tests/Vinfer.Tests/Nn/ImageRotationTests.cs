using Vinfer.Autodiff;
using Vinfer.Nn;
using Vinfer.Tensors;

namespace Vinfer.Tests.Nn;

/// <summary><see cref="ImageRotation"/>: exact at multiples of a quarter turn, gradients in the image and the angle by finite differences.</summary>
public class ImageRotationTests
{
    private static Tensor Images(int b, int h, int w, int seed)
    {
        var random = new System.Random(seed);
        return Tensor.FromArray(Enumerable.Range(0, b * h * w).Select(_ => random.NextDouble()).ToArray(), b, h, w);
    }

    [Fact]
    public void QuarterTurnsPermuteThePixelsExactly()
    {
        var images = Images(2, 5, 5, 1);
        var identity = ImageRotation.Rotate(images, Tensor.FromArray([0.0, 2 * Math.PI], 2));
        for (int i = 0; i < 50; i++) Assert.Equal(images.Span[i], identity.Span[i], 10);
        // Output (y, x) reads the input at x_s = c + (y − c), y_s = c − (x − c) for θ = π/2 (c = 2).
        var quarter = ImageRotation.Rotate(images, Tensor.FromArray([Math.PI / 2, Math.PI / 2], 2));
        for (int n = 0; n < 2; n++)
            for (int y = 0; y < 5; y++)
                for (int x = 0; x < 5; x++)
                    Assert.Equal(images.Span[n * 25 + (4 - x) * 5 + y], quarter.Span[n * 25 + y * 5 + x], 10);
    }

    [Fact]
    public void GradientInTheImageAndTheAngleMatchesFiniteDifferences()
    {
        var r = GradientCheck.Check(t => ImageRotation.Rotate(t[0], t[1]), [Images(2, 6, 7, 2), Tensor.FromArray([0.37, -2.1], 2)], step: 1e-7, tolerance: 1e-5);
        Assert.True(r.Passed, r.ToString());
    }

    [Fact]
    public void BadShapesAreRejectedByName()
    {
        var e = Assert.Throws<ArgumentException>(() => ImageRotation.Rotate(Images(2, 4, 4, 3), Tensor.FromArray([0.1], 1)));
        Assert.Contains("angles", e.Message);
    }
}
