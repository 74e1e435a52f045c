using Vinfer.Modeling;
using Vinfer.Nn;
using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Tests.Nn;

/// <summary>
/// <see cref="NeuralTangentNetwork"/>, <see cref="LinearizedNeuralTangentNetwork"/> and <see cref="NeuralTangentKernel"/>:
/// the closed-form Jacobian against reverse-mode autodiff, the linearization equal to the network at φ₀ with gradient
/// J(x; φ₀) everywhere and a second-order Taylor remainder, and zero drift at initialization.
/// </summary>
public class NeuralTangentNetworkTests
{
    private static readonly Tensor Inputs = Tensor.FromArray([0.3, -1.2, 0.8, 0.5, -0.7, -0.4, 1.1, 0.9, 0.2], 3, 3);

    // W₂ ≠ 0 so that the W₁ block of the Jacobian is not zero.
    private static NeuralTangentNetwork Network() => new("ntk", 3, 7, 2, new RandomStream(4), Initializer.Normal(0, 1));

    /// <summary>Row n·k + o of ∂f/∂(W₁, W₂) by reverse mode, for any module with those two parameters.</summary>
    private static double[] AutodiffRow(Module module, ModuleParameter w1, ModuleParameter w2, ParamStore store, int n, int o)
    {
        using var _ = store.Use();
        var grads = Autograd.Grad(() => module.Forward(Inputs).Narrow(0, n, 1).Narrow(1, o, 1).Sum(), w1.Leaf(store), w2.Leaf(store));
        return [.. grads[0].Span.ToArray(), .. grads[1].Span.ToArray()];
    }

    private static void AssertClose(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"{what}[{i}]: {actual[i]:G10} vs {expected[i]:G10}");
    }

    [Fact]
    public void JacobianMatchesReverseModeAutodiff()
    {
        var network = Network();
        var store = new ParamStore();
        var jacobian = network.Jacobian(Inputs, store);
        Assert.Equal([6, network.ParameterLength], jacobian.ShapeArray);
        for (int n = 0; n < 3; n++)
            for (int o = 0; o < 2; o++)
                AssertClose(AutodiffRow(network, network.InputWeight, network.OutputWeight, store, n, o), jacobian.Narrow(0, n * 2 + o, 1).Span, 1e-12, $"J row {n * 2 + o}");
    }

    [Fact]
    public void LinearizationEqualsTheNetworkAtInitAndItsGradientIsTheInitialJacobian()
    {
        var network = Network();
        var linear = new LinearizedNeuralTangentNetwork("lin", network);
        var store = new ParamStore();
        using var _ = store.Use();
        AssertClose(network.Forward(Inputs).Span, linear.Forward(Inputs).Span, 1e-13, "f_lin(φ₀) − f(φ₀)");
        var jacobian0 = network.Jacobian(Inputs, store);
        // Move the linear model's parameters away from φ₀: its gradient stays J(x; φ₀).
        var random = new System.Random(9);
        foreach (var (_, leaf) in linear.Parameters(store))
            for (int i = 0; i < leaf.Span.Length; i++) leaf.Span[i] += random.NextDouble() - 0.5;
        for (int n = 0; n < 3; n++)
            for (int o = 0; o < 2; o++)
                AssertClose(jacobian0.Narrow(0, n * 2 + o, 1).Span, AutodiffRow(linear, linear.InputWeight, linear.OutputWeight, store, n, o), 1e-12, $"∇f_lin row {n * 2 + o}");
    }

    [Fact]
    public void TaylorRemainderIsSecondOrder()
    {
        var network = Network();
        var linear = new LinearizedNeuralTangentNetwork("lin", network);
        var random = new System.Random(5);
        var direction = Enumerable.Range(0, network.ParameterLength).Select(_ => random.NextDouble() - 0.5).ToArray();
        double Remainder(double step)
        {
            var store = new ParamStore();
            using var _ = store.Use();
            int offset = 0;
            foreach (var module in new Module[] { network, linear })
            {
                offset = 0;
                foreach (var (_, leaf) in module.Parameters(store))
                    for (int i = 0; i < leaf.Span.Length; i++) leaf.Span[i] += step * direction[offset++];
            }
            var f = network.Forward(Inputs).Span; var g = linear.Forward(Inputs).Span;
            double max = 0;
            for (int i = 0; i < f.Length; i++) max = Math.Max(max, Math.Abs(f[i] - g[i]));
            return max;
        }
        // Small enough that no ReLU gate flips: the remainder (W₂ − W₂⁰)(m ⊙ (W₁ − W₁⁰)x)/√p is exactly quadratic.
        double r1 = Remainder(1e-3), r2 = Remainder(5e-4);
        Assert.True(r1 > 0);
        Assert.Equal(4.0, r1 / r2, 6);
    }

    [Fact]
    public void DriftIsZeroAtInitAndPositiveAfterAMove()
    {
        var network = new NeuralTangentNetwork("ntk", 3, 16, 2, new RandomStream(8));
        var store = new ParamStore();
        var jacobian0 = network.Jacobian(Inputs, store);
        var kernel0 = NeuralTangentKernel.FromJacobian(jacobian0);
        Assert.Equal(0.0, NeuralTangentKernel.RelativeDrift(network.Jacobian(Inputs, store), jacobian0));
        Assert.Equal(0.0, NeuralTangentKernel.RelativeDrift(NeuralTangentKernel.FromJacobian(network.Jacobian(Inputs, store)), kernel0));
        network.OutputWeight.Leaf(store).Span[0] = 0.5;
        Assert.True(NeuralTangentKernel.RelativeDrift(network.Jacobian(Inputs, store), jacobian0) > 0);
        // K = J Jᵀ is symmetric positive semi-definite: the diagonal is the squared row norms.
        var j = jacobian0.Span; int columns = network.ParameterLength;
        for (int r = 0; r < 6; r++)
        {
            double norm = 0;
            for (int c = 0; c < columns; c++) norm += j[r * columns + c] * j[r * columns + c];
            Assert.Equal(norm, kernel0.Span[r * 6 + r], 10);
        }
    }
}
