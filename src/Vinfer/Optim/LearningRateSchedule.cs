namespace Vinfer.Optim;

/// <summary>
/// A learning rate as a function of the step index (0 for the first step). Assign to
/// <see cref="Optimizer.Schedule"/> to have the optimizer apply it before every step.
/// </summary>
public abstract class LearningRateSchedule
{
    /// <summary>The learning rate for step <paramref name="step"/> (0-based).</summary>
    public abstract double Rate(long step);

    /// <summary>η₀·γ^⌊t/size⌋: multiplies the rate by <paramref name="gamma"/> every <paramref name="stepSize"/> steps (PyTorch StepLR).</summary>
    public static LearningRateSchedule Step(double initialRate, int stepSize, double gamma = 0.1) => new StepSchedule(initialRate, stepSize, gamma);

    /// <summary>η₀·γᵗ (PyTorch ExponentialLR).</summary>
    public static LearningRateSchedule Exponential(double initialRate, double gamma) => new ExponentialSchedule(initialRate, gamma);

    /// <summary>
    /// Cosine annealing from η₀ to η_min over <paramref name="totalSteps"/> steps, then constant η_min
    /// (Loshchilov &amp; Hutter 2017, "SGDR", without restarts): η_min + (η₀−η_min)(1 + cos(π t/T))/2.
    /// </summary>
    public static LearningRateSchedule Cosine(double initialRate, int totalSteps, double minRate = 0) => new CosineSchedule(initialRate, totalSteps, minRate);

    /// <summary>η₀ / (1 + decay·t)^power, the 1/t decay of Robbins–Monro when power = 1.</summary>
    public static LearningRateSchedule InverseTime(double initialRate, double decay, double power = 1.0) => new InverseTimeSchedule(initialRate, decay, power);

    /// <summary>Linear warmup from 0 to <paramref name="after"/>'s rate over <paramref name="warmupSteps"/> steps:
    /// step t &lt; W uses (t+1)/W · after.Rate(0); later steps use after.Rate(t − W).</summary>
    public static LearningRateSchedule Warmup(int warmupSteps, LearningRateSchedule after) => new WarmupSchedule(warmupSteps, after);

    /// <summary>A constant rate.</summary>
    public static LearningRateSchedule Constant(double rate) => new ExponentialSchedule(rate, 1.0);

    private protected static void CheckRate(double rate, string name)
    {
        if (!(rate >= 0) || double.IsInfinity(rate)) throw new ArgumentOutOfRangeException(name, rate, "learning rate must be finite and non-negative");
    }

    private sealed class StepSchedule : LearningRateSchedule
    {
        private readonly double _rate, _gamma;
        private readonly int _size;
        public StepSchedule(double rate, int size, double gamma)
        {
            CheckRate(rate, nameof(rate));
            if (size <= 0) throw new ArgumentOutOfRangeException(nameof(size), size, "step size must be positive");
            if (!(gamma > 0)) throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "gamma must be positive");
            (_rate, _size, _gamma) = (rate, size, gamma);
        }
        public override double Rate(long step) => _rate * Math.Pow(_gamma, step / _size);
    }

    private sealed class ExponentialSchedule : LearningRateSchedule
    {
        private readonly double _rate, _gamma;
        public ExponentialSchedule(double rate, double gamma)
        {
            CheckRate(rate, nameof(rate));
            if (!(gamma > 0)) throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "gamma must be positive");
            (_rate, _gamma) = (rate, gamma);
        }
        public override double Rate(long step) => _rate * Math.Pow(_gamma, step);
    }

    private sealed class CosineSchedule : LearningRateSchedule
    {
        private readonly double _rate, _min;
        private readonly int _total;
        public CosineSchedule(double rate, int total, double min)
        {
            CheckRate(rate, nameof(rate));
            CheckRate(min, nameof(min));
            if (total <= 0) throw new ArgumentOutOfRangeException(nameof(total), total, "total steps must be positive");
            (_rate, _total, _min) = (rate, total, min);
        }
        public override double Rate(long step) =>
            step >= _total ? _min : _min + (_rate - _min) * 0.5 * (1 + Math.Cos(Math.PI * step / _total));
    }

    private sealed class InverseTimeSchedule : LearningRateSchedule
    {
        private readonly double _rate, _decay, _power;
        public InverseTimeSchedule(double rate, double decay, double power)
        {
            CheckRate(rate, nameof(rate));
            if (!(decay >= 0)) throw new ArgumentOutOfRangeException(nameof(decay), decay, "decay must be non-negative");
            if (!(power > 0)) throw new ArgumentOutOfRangeException(nameof(power), power, "power must be positive");
            (_rate, _decay, _power) = (rate, decay, power);
        }
        public override double Rate(long step) => _rate / Math.Pow(1 + _decay * step, _power);
    }

    private sealed class WarmupSchedule : LearningRateSchedule
    {
        private readonly int _warmup;
        private readonly LearningRateSchedule _after;
        public WarmupSchedule(int warmup, LearningRateSchedule after)
        {
            if (warmup < 0) throw new ArgumentOutOfRangeException(nameof(warmup), warmup, "warmup steps must be non-negative");
            ArgumentNullException.ThrowIfNull(after);
            (_warmup, _after) = (warmup, after);
        }
        public override double Rate(long step) =>
            step < _warmup ? _after.Rate(0) * (step + 1) / _warmup : _after.Rate(step - _warmup);
    }
}
