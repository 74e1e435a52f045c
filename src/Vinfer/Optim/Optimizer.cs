using Vinfer.Tensors;

namespace Vinfer.Optim;

/// <summary>
/// A first-order optimizer that updates named parameter tensors in place from their <see cref="Tensor.Grad"/>,
/// minimizing the objective whose gradient was accumulated. Per-parameter state (moments, accumulators) is created
/// lazily the first time a name is seen, so parameters may appear after the first step, as in Pyro's param store.
/// Parameters without a gradient are skipped. State is keyed by name and can be saved and loaded for checkpoints;
/// a loaded optimizer resumes bit-identically.
/// </summary>
public abstract class Optimizer
{
    private readonly Dictionary<string, ParameterState> _states = new(StringComparer.Ordinal);

    /// <summary>Creates an optimizer with the given learning rate.</summary>
    protected Optimizer(double learningRate)
    {
        LearningRate = learningRate;
    }

    /// <summary>
    /// The learning rate used by the next step. A <see cref="Schedule"/>, when set, overwrites it before every step.
    /// </summary>
    public double LearningRate
    {
        get;
        set
        {
            if (!(value >= 0) || double.IsInfinity(value))
                throw new ArgumentOutOfRangeException(nameof(LearningRate), value, "learning rate must be finite and non-negative");
            field = value;
        }
    }

    /// <summary>Optional learning-rate schedule, evaluated at <see cref="StepCount"/> before every step.</summary>
    public LearningRateSchedule? Schedule { get; set; }

    /// <summary>
    /// A factor on the scheduled rate (1 by default). It is what a caller lowers to back off the step size while a
    /// <see cref="Schedule"/> is set, since the schedule overwrites <see cref="LearningRate"/> before every step.
    /// </summary>
    public double RateScale
    {
        get;
        set
        {
            if (!(value > 0) || double.IsInfinity(value))
                throw new ArgumentOutOfRangeException(nameof(RateScale), value, "rate scale must be finite and positive");
            field = value;
        }
    } = 1.0;

    /// <summary>
    /// Lowers the step size by <paramref name="factor"/> (0 &lt; factor &lt; 1) in a way that lasts: through
    /// <see cref="RateScale"/> when a schedule sets the rate, else on <see cref="LearningRate"/> directly.
    /// </summary>
    public void ScaleStepSize(double factor)
    {
        if (Schedule is null) LearningRate *= factor;
        else
        {
            RateScale *= factor;
            LearningRate *= factor;
        }
    }

    /// <summary>Number of completed calls to <see cref="Step"/>.</summary>
    public long StepCount { get; private set; }

    /// <summary>Number of buffers (each the size of the parameter) this optimizer keeps per parameter.</summary>
    protected abstract int SlotCount { get; }

    /// <summary>Names that currently have optimizer state.</summary>
    public IEnumerable<string> StateNames => _states.Keys;

    /// <summary>
    /// Updates every parameter that has a gradient, in place. Call after <c>loss.Backward()</c>; the caller zeroes
    /// the gradients afterwards.
    /// </summary>
    public virtual void Step(IEnumerable<KeyValuePair<string, Tensor>> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (Schedule is not null) LearningRate = Schedule.Rate(StepCount) * RateScale;
        BeginStep();
        foreach (var (name, parameter) in parameters)
        {
            var grad = parameter.Grad;
            if (grad is null) continue;
            if (grad.Count != parameter.Count)
                throw new ArgumentException($"parameter '{name}': gradient has {grad.Count} elements, parameter has {parameter.Count}", nameof(parameters));
            var state = GetOrCreateState(name, parameter.Count);
            state.Steps++;
            Update(state, parameter.Span, grad.Span);
        }
        StepCount++;
    }

    /// <summary>Hook run once at the start of each step, before any parameter is updated.</summary>
    protected virtual void BeginStep() { }

    /// <summary>Applies one update to <paramref name="value"/>; <c>state.Steps</c> already counts this step.</summary>
    protected abstract void Update(ParameterState state, Span<double> value, ReadOnlySpan<double> grad);

    private ParameterState GetOrCreateState(string name, int count)
    {
        if (_states.TryGetValue(name, out var state))
        {
            if (state.Length != count)
                throw new InvalidOperationException($"parameter '{name}' changed size from {state.Length} to {count} elements; call ResetState(\"{name}\") first");
            return state;
        }
        state = new ParameterState(count, SlotCount);
        _states.Add(name, state);
        return state;
    }

    /// <summary>Forgets the state of one parameter (it restarts from zero moments on its next step).</summary>
    public bool ResetState(string name) => _states.Remove(name);

    /// <summary>Forgets all per-parameter state and the step counter.</summary>
    public void ResetState()
    {
        _states.Clear();
        StepCount = 0;
    }

    /// <summary>Optimizer-specific scalar state to checkpoint besides the learning rate (e.g. decayed rates).</summary>
    protected virtual void WriteExtraState(BinaryWriter writer) { }

    /// <summary>Reads what <see cref="WriteExtraState"/> wrote.</summary>
    protected virtual void ReadExtraState(BinaryReader reader) { }

    private const int FormatMagic = 0x4F505456; // "VTPO"

    /// <summary>
    /// Writes the learning rate, step counter and all per-parameter state (binary, exact doubles) so that
    /// <see cref="LoadState"/> on an optimizer of the same type and settings resumes bit-identically.
    /// </summary>
    public void SaveState(Stream stream)
    {
        using var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        w.Write(FormatMagic);
        w.Write(GetType().FullName!);
        w.Write(LearningRate);
        w.Write(RateScale);
        w.Write(StepCount);
        WriteExtraState(w);
        w.Write(_states.Count);
        foreach (var (name, s) in _states)
        {
            w.Write(name);
            w.Write(s.Length);
            w.Write(s.Steps);
            w.Write(s.SlotCount);
            for (int k = 0; k < s.SlotCount; k++)
                foreach (var v in s.Slot(k)) w.Write(v);
        }
    }

    /// <summary>Replaces this optimizer's state by one written with <see cref="SaveState"/>.</summary>
    /// <exception cref="FormatException">The stream does not hold state of this optimizer type.</exception>
    public void LoadState(Stream stream)
    {
        using var r = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        if (r.ReadInt32() != FormatMagic) throw new FormatException("not a Vinfer optimizer state");
        string type = r.ReadString();
        if (type != GetType().FullName) throw new FormatException($"optimizer state is for {type}, not {GetType().FullName}");
        LearningRate = r.ReadDouble();
        RateScale = r.ReadDouble();
        long stepCount = r.ReadInt64();
        ReadExtraState(r);
        int n = r.ReadInt32();
        var states = new Dictionary<string, ParameterState>(n, StringComparer.Ordinal);
        for (int i = 0; i < n; i++)
        {
            string name = r.ReadString();
            int length = r.ReadInt32();
            long steps = r.ReadInt64();
            int slots = r.ReadInt32();
            if (slots != SlotCount) throw new FormatException($"state of '{name}' has {slots} slots, expected {SlotCount}");
            var s = new ParameterState(length, slots) { Steps = steps };
            for (int k = 0; k < slots; k++)
            {
                var slot = s.Slot(k);
                for (int j = 0; j < length; j++) slot[j] = r.ReadDouble();
            }
            states.Add(name, s);
        }
        _states.Clear();
        foreach (var (k, v) in states) _states.Add(k, v);
        StepCount = stepCount;
    }

    /// <summary>
    /// A state written by <see cref="SaveState"/> of this optimizer type with every per-parameter buffer replaced by
    /// <paramref name="map"/>(name, buffer) (which may change its length, the same for all buffers of a parameter):
    /// used to move a parameter's optimizer state between layouts, e.g. a data-parallel fit's per-process row blocks
    /// and the whole rows of a checkpoint. This optimizer's own state is not changed.
    /// </summary>
    /// <exception cref="FormatException">The bytes do not hold state of this optimizer type.</exception>
    public byte[] RewriteState(byte[] state, Func<string, double[], double[]> map)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(map);
        using var input = new MemoryStream(state);
        using var r = new BinaryReader(input, System.Text.Encoding.UTF8, leaveOpen: true);
        using var output = new MemoryStream();
        using var w = new BinaryWriter(output, System.Text.Encoding.UTF8, leaveOpen: true);
        if (r.ReadInt32() != FormatMagic) throw new FormatException("not a Vinfer optimizer state");
        string type = r.ReadString();
        if (type != GetType().FullName) throw new FormatException($"optimizer state is for {type}, not {GetType().FullName}");
        w.Write(FormatMagic);
        w.Write(type);
        w.Write(r.ReadDouble());
        w.Write(r.ReadDouble());
        w.Write(r.ReadInt64());
        // the extra state is read into a copy (so this optimizer keeps its own) and written back unchanged
        var copy = (Optimizer)MemberwiseClone();
        copy.ReadExtraState(r);
        copy.WriteExtraState(w);
        int n = r.ReadInt32();
        w.Write(n);
        for (int i = 0; i < n; i++)
        {
            string name = r.ReadString();
            int length = r.ReadInt32();
            long steps = r.ReadInt64();
            int slots = r.ReadInt32();
            var mapped = new double[slots][];
            for (int k = 0; k < slots; k++)
            {
                var slot = new double[length];
                for (int j = 0; j < length; j++) slot[j] = r.ReadDouble();
                mapped[k] = map(name, slot);
                if (mapped[k].Length != mapped[0].Length) throw new InvalidOperationException($"RewriteState: the buffers of '{name}' were mapped to different lengths.");
            }
            w.Write(name);
            w.Write(slots == 0 ? length : mapped[0].Length);
            w.Write(steps);
            w.Write(slots);
            foreach (var slot in mapped)
                foreach (var v in slot) w.Write(v);
        }
        w.Flush();
        return output.ToArray();
    }

    /// <summary>Per-parameter state: an update counter and <see cref="SlotCount"/> buffers, zero-initialized.</summary>
    protected internal sealed class ParameterState
    {
        private readonly double[][] _slots;

        internal ParameterState(int length, int slotCount)
        {
            Length = length;
            _slots = new double[slotCount][];
            for (int i = 0; i < slotCount; i++) _slots[i] = new double[length];
        }

        /// <summary>Elements in the parameter.</summary>
        public int Length { get; }

        /// <summary>Number of updates applied to this parameter, including the current one.</summary>
        public long Steps { get; internal set; }

        /// <summary>Number of buffers.</summary>
        public int SlotCount => _slots.Length;

        /// <summary>Buffer <paramref name="index"/>.</summary>
        public Span<double> Slot(int index) => _slots[index];
    }
}
