using Vinfer.Modeling;
using Vinfer.Random;
using Vinfer.Tensors;

namespace Vinfer.Nn;

/// <summary>
/// A neural-network building block in the manner of PyTorch's <c>nn.Module</c> and Pyro's <c>pyro.module</c>: it owns
/// named parameters and child modules and maps an input tensor to an output with <see cref="Forward"/>.
/// </summary>
/// <remarks>
/// Parameters are not held by the module: each is a site of the one <see cref="ParamStore"/>, named with the module's
/// hierarchical prefix (<c>encoder.0.weight</c>) and read through <see cref="Primitives.Param(string, Func{Tensor}, Distributions.Constraint?)"/>
/// on every forward pass. So a network's weights are saved, loaded, checkpointed, traced, substituted and optimized
/// exactly like every other parameter, and a module used inside a guide is fitted by <see cref="Inference.Svi"/>
/// without registration. A parameter is created in the current store the first time it is read, from an initial value
/// drawn deterministically from its own random key (taken at construction from the <see cref="RandomStream"/> given,
/// or derived from the parameter's name when none is), so a network's initial weights do not depend on when or in
/// which store they are created. A module has a training flag (<see cref="Train"/>, <see cref="Eval"/>) that
/// <see cref="Dropout"/> reads.
/// </remarks>
public abstract class Module : ILayer
{
    private readonly List<Module> _children = [];
    private readonly List<ModuleParameter> _parameters = [];

    /// <summary>Creates a module whose parameters are named <c><paramref name="name"/>.&lt;local name&gt;</c>.</summary>
    protected Module(string name)
    {
        Name = ValidateName(name, GetType().Name);
        TypeName = GetType().Name;
    }

    /// <summary>The hierarchical prefix of this module's parameters (for example <c>encoder.0</c>).</summary>
    public string Name { get; }

    /// <summary>The module's kind for messages (its type name).</summary>
    protected string TypeName { get; }

    /// <summary>True in training mode (the default); <see cref="Dropout"/> is the identity otherwise.</summary>
    public bool IsTraining { get; private set; } = true;

    /// <summary>The direct submodules, in registration order.</summary>
    public IReadOnlyList<Module> Children => _children;

    /// <summary>This module's own parameters (not its children's), in registration order.</summary>
    public IReadOnlyList<ModuleParameter> OwnParameters => _parameters;

    /// <summary>Maps the input to the output; see each layer for the shapes it takes.</summary>
    public abstract Tensor Forward(Tensor input);

    /// <summary>Sets training mode on this module and every submodule; returns this module.</summary>
    public Module Train(bool training = true)
    {
        IsTraining = training;
        foreach (var c in _children) c.Train(training);
        return this;
    }

    /// <summary>Sets evaluation mode (dropout off) on this module and every submodule; returns this module.</summary>
    public Module Eval() => Train(false);

    /// <summary>Every parameter of this module and its submodules, depth first (own parameters before children's).</summary>
    public IEnumerable<ModuleParameter> AllParameters()
    {
        foreach (var p in _parameters) yield return p;
        foreach (var c in _children)
            foreach (var p in c.AllParameters()) yield return p;
    }

    /// <summary>Total number of scalar parameters.</summary>
    public int ParameterCount => AllParameters().Sum(p => p.Count);

    /// <summary>
    /// The learnable leaves by name, as <see cref="Optim.Optimizer.Step"/> takes them: the unconstrained tensors of
    /// <paramref name="store"/> (the current store by default), created there from their initial values if missing.
    /// </summary>
    public IEnumerable<KeyValuePair<string, Tensor>> Parameters(ParamStore? store = null)
    {
        var s = store ?? ParamStore.Current;
        foreach (var p in AllParameters()) yield return new(p.Name, p.Leaf(s));
    }

    /// <summary>Zeroes the gradients of every parameter in <paramref name="store"/> (the current store by default).</summary>
    public void ZeroGrad(ParamStore? store = null)
    {
        foreach (var (_, leaf) in Parameters(store)) leaf.ZeroGrad();
    }

    /// <summary>The full name of a child module or parameter: <c>Name.local</c>.</summary>
    protected string ChildName(string localName) => $"{Name}.{ValidateName(localName, TypeName)}";

    /// <summary>Adds a submodule (built with a name under this one, see <see cref="ChildName"/>); returns it.</summary>
    protected T Register<T>(T child) where T : Module
    {
        ArgumentNullException.ThrowIfNull(child);
        if (ReferenceEquals(child, this)) throw new ArgumentException($"{TypeName} '{Name}': a module cannot be its own child.", nameof(child));
        _children.Add(child);
        return child;
    }

    /// <summary>
    /// Declares a parameter named <c>Name.localName</c> of the given shape, whose initial value
    /// <paramref name="initializer"/> draws with the given fan-in and fan-out (from a key of
    /// <paramref name="random"/>, or from the name when it is null).
    /// </summary>
    protected ModuleParameter RegisterParameter(string localName, int[] shape, Initializer initializer, int fanIn, int fanOut, RandomStream? random)
    {
        ArgumentNullException.ThrowIfNull(initializer);
        string full = ChildName(localName);
        foreach (var p in _parameters)
            if (p.Name == full) throw new ArgumentException($"{TypeName} '{Name}': parameter '{localName}' is declared twice.", nameof(localName));
        var key = random?.NextKey() ?? ModuleParameter.KeyFromName(full);
        var parameter = new ModuleParameter(full, shape, initializer, fanIn, fanOut, key);
        _parameters.Add(parameter);
        return parameter;
    }

    /// <summary>Throws when the input's last dimension is not <paramref name="expected"/>, naming this layer, both sizes and the shape.</summary>
    protected void CheckLastDimension(Tensor input, int expected, string what = "input")
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank == 0 || input.Dim(-1) != expected)
            throw new ArgumentException($"{TypeName} '{Name}': expected {what} size {expected} in the last dimension, got "
                + (input.Rank == 0 ? "a scalar" : $"{input.Dim(-1)} (shape {Format(input.Shape)})") + ".", nameof(input));
    }

    /// <summary>Throws unless <paramref name="value"/> is positive, naming this layer, the argument and the value.</summary>
    internal static int Positive(int value, string argument, string layer, string name) => value > 0 ? value
        : throw new ArgumentOutOfRangeException(argument, value, $"{layer} '{name}': {argument} must be positive, got {value}.");

    /// <summary>Throws unless <paramref name="precision"/> is a defined <see cref="Nn.Precision"/>, naming this layer and the value.</summary>
    internal static Precision CheckPrecision(Precision precision, string layer, string name) => Enum.IsDefined(precision) ? precision
        : throw new ArgumentOutOfRangeException(nameof(precision), precision, $"{layer} '{name}': precision {(int)precision} is not Float64 or Float32.");

    internal static string Format(ReadOnlySpan<int> shape) => "[" + string.Join(", ", shape.ToArray()) + "]";

    private static string ValidateName(string name, string layer)
    {
        if (string.IsNullOrWhiteSpace(name) || name.StartsWith('.') || name.EndsWith('.') || name.Contains("..", StringComparison.Ordinal) || name.Any(char.IsWhiteSpace))
            throw new ArgumentException($"{layer}: name '{name}' is not a dotted parameter prefix (non-empty, no whitespace, no empty segment).", nameof(name));
        return name;
    }
}
