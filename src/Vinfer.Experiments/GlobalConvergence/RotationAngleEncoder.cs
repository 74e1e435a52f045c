using Vinfer.Distributions;
using Vinfer.Nn;
using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Experiments.GlobalConvergence;

/// <summary>
/// The L_P side's amortized posterior of the rotated-MNIST study (McNamara, Loper and Regier, "Globally Convergent
/// Variational Inference", NeurIPS 2024, §5.3): q(θ | x₁…x_M) von Mises with natural parameters
/// η = c·ρ(mean φ(xᵢ)) + κ₀(cos α, sin α), where φ is a small convolutional network per image (Conv 5×5/2 1→8, ReLU,
/// Conv 5×5/2 8→16, ReLU, Linear → 64, ReLU), the mean pools over the set (<see cref="MeanPooledSetEncoder"/>) and ρ is
/// Linear(64→64), ReLU, Linear(64→2) whose last layer starts at zero. So every run starts with q's mode at the offset α
/// for every input, which is how the study's twelve L_P runs start from 0°, 30°, …, 330°.
/// </summary>
public sealed class RotationAngleEncoder : Module
{
    private readonly MeanPooledSetEncoder _set;
    private readonly double _offsetCos, _offsetSin;

    /// <summary>Creates the encoder for images of <paramref name="side"/>×<paramref name="side"/> with offset angle <paramref name="offset"/> (radians) of concentration <paramref name="offsetConcentration"/>.</summary>
    public RotationAngleEncoder(string name, int side, double offset, double offsetConcentration, RandomStream random, double outputScale = 1) : base(name)
    {
        if (side < 13) throw new ArgumentOutOfRangeException(nameof(side), side, $"RotationAngleEncoder '{name}': images must be at least 13×13, got {side}.");
        if (!double.IsFinite(offset)) throw new ArgumentOutOfRangeException(nameof(offset), offset, $"RotationAngleEncoder '{name}': the offset angle must be finite.");
        if (!(offsetConcentration >= 0) || !double.IsFinite(offsetConcentration))
            throw new ArgumentOutOfRangeException(nameof(offsetConcentration), offsetConcentration, $"RotationAngleEncoder '{name}': the offset concentration must be finite and non-negative.");
        var first = new Conv2d(ChildName("set.element.0"), 1, 8, 5, stride: 2, random: random);
        int size = first.OutputSize(side);
        var second = new Conv2d(ChildName("set.element.2"), 8, 16, 5, stride: 2, random: random);
        size = second.OutputSize(size);
        var element = new Sequential(ChildName("set.element"), first, Activation.Relu, second, Activation.Relu, Flatten.Instance,
            new Linear(ChildName("set.element.5"), 16 * size * size, 64, random: random), Activation.Relu);
        var head = new Sequential(ChildName("set.head"), new Linear(ChildName("set.head.0"), 64, 64, random: random), Activation.Relu,
            new Linear(ChildName("set.head.2"), 64, 2, random: random, weightInit: Initializer.Zeros, biasInit: Initializer.Zeros));
        _set = Register(new MeanPooledSetEncoder(ChildName("set"), element, head));
        if (!(outputScale > 0) || !double.IsFinite(outputScale))
            throw new ArgumentOutOfRangeException(nameof(outputScale), outputScale, $"RotationAngleEncoder '{name}': the output scale must be positive and finite.");
        OutputScale = outputScale;
        Side = side;
        Offset = offset;
        _offsetCos = offsetConcentration * Math.Cos(offset);
        _offsetSin = offsetConcentration * Math.Sin(offset);
    }

    /// <summary>The image side.</summary>
    public int Side { get; }

    /// <summary>The fixed factor c of the head's output in η = c·ρ(…) + κ₀(cos α, sin α).</summary>
    public double OutputScale { get; }

    /// <summary>The offset angle α (radians): q's mode before training.</summary>
    public double Offset { get; }

    /// <summary>η [S, 2] for S sets of M images, [S, M, Side, Side].</summary>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 4 || input.Dim(2) != Side || input.Dim(3) != Side)
            throw new ArgumentException($"RotationAngleEncoder '{Name}': expected sets [S, M, {Side}, {Side}], got shape [{string.Join(", ", input.Shape.ToArray())}].", nameof(input));
        var output = _set.Forward(input.Reshape(input.Dim(0), input.Dim(1), 1, Side, Side));
        return OutputScale * output + Tensor.Wrap([_offsetCos, _offsetSin], 1, 2);
    }

    /// <summary>q(θ | set) for each of the S sets [S, M, Side, Side]: a von Mises of batch shape [S].</summary>
    public VonMises Posterior(Tensor sets)
    {
        var eta = Forward(sets);
        return VonMises.FromNaturalParameters(eta.Narrow(1, 0, 1).Reshape(eta.Dim(0)), eta.Narrow(1, 1, 1).Reshape(eta.Dim(0)));
    }
}
