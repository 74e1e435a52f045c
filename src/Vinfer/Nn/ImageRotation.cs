using Vinfer.Tensors;

namespace Vinfer.Nn;

/// <summary>
/// Differentiable rotation of 2-D images about their centre by bilinear sampling (the sampler of Jaderberg et al.,
/// "Spatial Transformer Networks", NeurIPS 2015, with a rotation grid), differentiable in the image and in the angle;
/// used by the rotated-MNIST study of McNamara, Loper and Regier ("Globally Convergent Variational Inference",
/// NeurIPS 2024), whose likelihood rotates generated digits by an unknown shared angle. Output pixel (row y, column x)
/// takes the input at x_s = c_x + cos θ (x − c_x) + sin θ (y − c_y), y_s = c_y − sin θ (x − c_x) + cos θ (y − c_y)
/// (c the centre, (W − 1)/2 and (H − 1)/2), interpolated bilinearly, with zeros outside the image: with rows drawn
/// downward, the content turns counterclockwise by θ. The angle's derivative is the image gradient along the sampling
/// path, ∂I/∂x_s · ∂x_s/∂θ + ∂I/∂y_s · ∂y_s/∂θ, exact wherever no sample crosses a pixel boundary.
/// </summary>
public static class ImageRotation
{
    /// <summary>Rotates images [B, H, W] by angles [B] (radians); differentiable in both.</summary>
    public static Tensor Rotate(Tensor images, Tensor angles)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(angles);
        if (images.Rank != 3) throw new ArgumentException($"ImageRotation.Rotate: images have shape {Format(images.ShapeArray)}, expected [B, H, W].", nameof(images));
        if (angles.Rank != 1 || angles.Shape[0] != images.Shape[0])
            throw new ArgumentException($"ImageRotation.Rotate: angles have shape {Format(angles.ShapeArray)}, expected [{images.Shape[0]}].", nameof(angles));
        int b = images.Shape[0], h = images.Shape[1], w = images.Shape[2];
        var output = new double[b * h * w];
        var source = images.Span; var theta = angles.Span;
        for (int n = 0; n < b; n++)
            Sample(source.Slice(n * h * w, h * w), h, w, theta[n], (index, x0, y0, fx, fy, value) => output[n * h * w + index] = value);
        var result = Tensor.Wrap(output, b, h, w);
        return Autograd.ShouldRecord(images, angles) ? Autograd.Record(result, new RotateBackward(images, angles)) : result;
    }

    private delegate void SampleSink(int index, int x0, int y0, double fx, double fy, double value);

    /// <summary>Visits every output pixel with its source cell (x0, y0), fractions (fx, fy) and interpolated value.</summary>
    private static void Sample(ReadOnlySpan<double> image, int h, int w, double theta, SampleSink sink)
    {
        double cx = (w - 1) / 2.0, cy = (h - 1) / 2.0, c = Math.Cos(theta), s = Math.Sin(theta);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                double xs = cx + c * (x - cx) + s * (y - cy), ys = cy - s * (x - cx) + c * (y - cy);
                int x0 = (int)Math.Floor(xs), y0 = (int)Math.Floor(ys);
                double fx = xs - x0, fy = ys - y0;
                double value = (1 - fx) * (1 - fy) * At(image, h, w, x0, y0) + fx * (1 - fy) * At(image, h, w, x0 + 1, y0)
                    + (1 - fx) * fy * At(image, h, w, x0, y0 + 1) + fx * fy * At(image, h, w, x0 + 1, y0 + 1);
                sink(y * w + x, x0, y0, fx, fy, value);
            }
    }

    private static double At(ReadOnlySpan<double> image, int h, int w, int x, int y) => x >= 0 && x < w && y >= 0 && y < h ? image[y * w + x] : 0;

    private static string Format(int[] shape) => "[" + string.Join(", ", shape) + "]";

    private sealed class RotateBackward(Tensor images, Tensor angles) : GradNode(images, angles)
    {
        public override void Backward(Tensor output, Tensor gradOutput)
        {
            var img = Inputs[0]; var ang = Inputs[1];
            int b = img.Shape[0], h = img.Shape[1], w = img.Shape[2];
            var imageGradient = new double[b * h * w];
            var angleGradient = new double[b];
            var g = gradOutput.Span.ToArray();
            var source = img.Span.ToArray();
            var theta = ang.Span.ToArray();
            double cx = (w - 1) / 2.0, cy = (h - 1) / 2.0;
            for (int n = 0; n < b; n++)
            {
                int offset = n * h * w;
                double c = Math.Cos(theta[n]), s = Math.Sin(theta[n]);
                var image = source.AsSpan(offset, h * w).ToArray();
                Sample(image, h, w, theta[n], (index, x0, y0, fx, fy, _) =>
                {
                    double go = g[offset + index];
                    if (go == 0) return;
                    void Add(int x, int y, double weight)
                    {
                        if (x >= 0 && x < w && y >= 0 && y < h) imageGradient[offset + y * w + x] += go * weight;
                    }
                    Add(x0, y0, (1 - fx) * (1 - fy)); Add(x0 + 1, y0, fx * (1 - fy)); Add(x0, y0 + 1, (1 - fx) * fy); Add(x0 + 1, y0 + 1, fx * fy);
                    double i00 = At(image, h, w, x0, y0), i10 = At(image, h, w, x0 + 1, y0), i01 = At(image, h, w, x0, y0 + 1), i11 = At(image, h, w, x0 + 1, y0 + 1);
                    double dx = (1 - fy) * (i10 - i00) + fy * (i11 - i01), dy = (1 - fx) * (i01 - i00) + fx * (i11 - i10);
                    int x = index % w, y = index / w;
                    double dxs = -s * (x - cx) + c * (y - cy), dys = -c * (x - cx) - s * (y - cy);
                    angleGradient[n] += go * (dx * dxs + dy * dys);
                });
            }
            if (img.RequiresGrad) Autograd.Accumulate(img, Tensor.Wrap(imageGradient, b, h, w));
            if (ang.RequiresGrad) Autograd.Accumulate(ang, Tensor.Wrap(angleGradient, b));
        }
    }
}
