using Vinfer.Tensors;
using Vinfer.Tensors.Kernels;

namespace Vinfer.Nn;

/// <summary>
/// A stack of dense layers h ← f(h·Wᵀ + b) computed in float32 as one differentiable op (the
/// <see cref="Precision.Float32"/> path of <see cref="Linear"/> and <see cref="Mlp"/>): the input and the float64
/// weights are rounded to float32 once, every layer is one SGEMM plus an in-place activation on float32 buffers, and
/// only the last layer's output is widened back to a float64 tensor. The backward pass runs in float32 as well (two
/// SGEMMs per layer) and adds the weight, bias and input gradients into their float64 gradients. The float32 buffers
/// come from the current <see cref="TensorScope"/>'s pool (steady training steps allocate none).
/// </summary>
internal static class SinglePrecisionDense
{
    /// <summary>One layer: its weight [out, in], optional bias [out], and activation.</summary>
    internal readonly record struct Layer(Tensor Weight, Tensor? Bias, SingleActivation Activation, float Parameter);

    /// <summary>
    /// The stack applied to <paramref name="input"/> [..., in]; returns [..., out] in float64. Shapes are assumed checked
    /// by the calling module (weight [out, in] chaining, input's last dimension).
    /// </summary>
    public static Tensor Forward(Tensor input, Layer[] layers)
    {
        var run = Run(input, layers);
        var shape = (int[])input.ShapeArray.Clone();
        shape[^1] = layers[^1].Weight.ShapeArray[0];
        var result = Tensor.Uninitialized(shape);
        SingleKernels.Widen(run.Outputs[^1].AsSpan(0, result.Count), result.Span);
        return Record(result, input, layers, run, null);
    }

    /// <summary>
    /// Σ_j log Bernoulli(value_j | logits = the stack's output_j) over the last dimension, with the logits kept in
    /// float32: the [..., out] output is never widened and its gradient never narrowed (the likelihood's gradient
    /// v − σ(ℓ), scaled by each row's incoming gradient, is written straight into the float32 buffer the dense
    /// backward pass starts from). Returns the input's leading shape. <paramref name="value"/> has the output's shape or
    /// a suffix of it and takes no gradient (checked by the caller).
    /// </summary>
    public static Tensor ForwardBernoulliLogProb(Tensor input, Layer[] layers, Tensor value)
    {
        var run = Run(input, layers);
        int width = layers[^1].Weight.ShapeArray[0];
        var v = Rent(value.Count);
        SingleKernels.Narrow(value.Span, v);
        var result = Tensor.Uninitialized(input.ShapeArray[..^1]);
        SingleKernels.BernoulliLogProbRows(run.Outputs[^1].AsSpan(0, run.Rows * width), v, width, result.Span);
        return Record(result, input, layers, run, v);
    }

    /// <summary>The float32 buffers of one forward pass, kept for the backward pass.</summary>
    private readonly record struct Pass(int Rows, float[] Input, float[][] Weights, float[][] PreActivations, float[][] Outputs);

    private static Pass Run(Tensor input, Layer[] layers)
    {
        int rows = input.Count / layers[0].Weight.ShapeArray[1];
        var x = Rent(input.Count);
        SingleKernels.Narrow(input.Span, x);
        var weights = new float[layers.Length][];
        var preActivations = new float[layers.Length][];
        var outputs = new float[layers.Length][];
        var h = x;
        for (int l = 0; l < layers.Length; l++)
        {
            var layer = layers[l];
            int outSize = layer.Weight.ShapeArray[0], inSize = layer.Weight.ShapeArray[1];
            var w = weights[l] = Rent(layer.Weight.Count);
            SingleKernels.Narrow(layer.Weight.Span, w);
            var z = Rent(rows * outSize);
            float beta = 0f;
            if (layer.Bias is not null)
            {
                var b = z.AsSpan(0, outSize);
                SingleKernels.Narrow(layer.Bias.Span, b);
                for (int r = 1; r < rows; r++) b.CopyTo(z.AsSpan(r * outSize, outSize));
                beta = 1f;
            }
            Blas.Gemm(false, true, rows, outSize, inSize, 1f, h, inSize, w, inSize, beta, z, outSize);
            float[] a = z;
            if (SingleKernels.DerivativeNeedsInput(layer.Activation))
            {
                a = Rent(z.Length);
                z.AsSpan().CopyTo(a);
            }
            SingleKernels.Activate(layer.Activation, layer.Parameter, a);
            preActivations[l] = z;
            outputs[l] = a;
            h = a;
        }
        return new(rows, x, weights, preActivations, outputs);
    }

    private static Tensor Record(Tensor result, Tensor input, Layer[] layers, Pass run, float[]? bernoulliValue)
    {
        var inputs = new List<Tensor>(1 + 2 * layers.Length) { input };
        foreach (var layer in layers)
        {
            inputs.Add(layer.Weight);
            if (layer.Bias is not null) inputs.Add(layer.Bias);
        }
        bool record = GradMode.IsEnabled && inputs.Exists(t => t.RequiresGrad);
        return record ? Autograd.Record(result, new DenseBackward([.. inputs], layers, run, bernoulliValue)) : result;
    }

    /// <summary>A float32 buffer of exactly this length, pooled when a scope is open.</summary>
    private static float[] Rent(int length) => Tensor.RentSingle(length);

    private sealed class DenseBackward(Tensor[] inputs, Layer[] layers, Pass run, float[]? bernoulliValue) : GradNode(inputs)
    {
        public override string Name => bernoulliValue is null ? "DenseFloat32" : "DenseBernoulliFloat32";

        public override void Backward(Tensor output, Tensor gradOutput)
        {
            int rows = run.Rows;
            var (x, weights, preActivations, outputs) = (run.Input, run.Weights, run.PreActivations, run.Outputs);
            float[] g;
            if (bernoulliValue is null)
            {
                g = Rent(gradOutput.Count);
                SingleKernels.Narrow(gradOutput.Span, g);
            }
            else
            {
                // the likelihood's gradient with respect to the logits, g_r·(v − σ(ℓ)), in float32
                int width = layers[^1].Weight.ShapeArray[0];
                g = Rent(rows * width);
                SingleKernels.BernoulliLogProbRowsBackward(outputs[^1].AsSpan(0, rows * width), bernoulliValue, width, gradOutput.Span, g);
            }
            var input = Inputs[0];
            for (int l = layers.Length - 1; l >= 0; l--)
            {
                var layer = layers[l];
                int outSize = layer.Weight.ShapeArray[0], inSize = layer.Weight.ShapeArray[1];
                var below = l == 0 ? x : outputs[l - 1];
                SingleKernels.Derivative(layer.Activation, layer.Parameter, preActivations[l].AsSpan(0, rows * outSize),
                    outputs[l].AsSpan(0, rows * outSize), g.AsSpan(0, rows * outSize));
                if (layer.Weight.RequiresGrad)
                {
                    // dW = Gᵀ·H (H the layer's input), in float32, added into the float64 gradient
                    var dw = Rent(layer.Weight.Count);
                    Blas.Gemm(true, false, outSize, inSize, rows, 1f, g, outSize, below, inSize, 0f, dw, inSize);
                    AddInto(layer.Weight, dw);
                }
                if (layer.Bias is { RequiresGrad: true } bias)
                {
                    // db = column sums of G, summed in float64
                    var db = Tensor.Uninitialized(bias.ShapeArray);
                    var d = db.Span;
                    d.Clear();
                    for (int r = 0; r < rows; r++) SingleKernels.AddWidened(g.AsSpan(r * outSize, outSize), d);
                    Autograd.AccumulateOwned(bias, db);
                }
                if (l == 0 && !input.RequiresGrad) break;
                // dH = G·W
                var gBelow = Rent(rows * inSize);
                Blas.Gemm(false, false, rows, inSize, outSize, 1f, g, outSize, weights[l], inSize, 0f, gBelow, inSize);
                g = gBelow;
            }
            if (input.RequiresGrad)
            {
                var dx = Tensor.Uninitialized(input.ShapeArray);
                SingleKernels.Widen(g.AsSpan(0, dx.Count), dx.Span);
                Autograd.AccumulateOwned(input, dx);
            }
        }

        private static void AddInto(Tensor target, float[] gradient)
        {
            if (target.Grad is { } existing && target.IsLeaf)
            {
                SingleKernels.AddWidened(gradient.AsSpan(0, target.Count), existing.Span);
                return;
            }
            var d = Tensor.Uninitialized(target.ShapeArray);
            SingleKernels.Widen(gradient.AsSpan(0, target.Count), d.Span);
            Autograd.AccumulateOwned(target, d);
        }
    }
}
