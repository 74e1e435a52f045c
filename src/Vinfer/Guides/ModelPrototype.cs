using Vinfer.Tensors;
using Vinfer.Modeling.Handlers;

using Vinfer.Modeling;

namespace Vinfer.Guides;

/// <summary>
/// A model's structure read from one run under a trace handler: its latent sites (in execution order) and how many
/// plates deep it nests (Pyro's <c>max_plate_nesting</c>, which tells where the particle dimension can go).
/// </summary>
public sealed class ModelPrototype
{
    private ModelPrototype(IReadOnlyList<LatentSite> latents, int maxPlateNesting, Trace trace)
    {
        Latents = latents;
        MaxPlateNesting = maxPlateNesting;
        Trace = trace;
    }

    /// <summary>The latent sites, in the order the model samples them.</summary>
    public IReadOnlyList<LatentSite> Latents { get; }

    /// <summary>The largest number of batch dimensions the plates of any sample site use.</summary>
    public int MaxPlateNesting { get; }

    /// <summary>The trace of the prototype run (values drawn from the prior).</summary>
    public Trace Trace { get; }

    /// <summary>
    /// Runs <paramref name="model"/> once (prior draws with a fixed seed, no gradients) and reads its structure. Latent
    /// sites in a subsampled plate are refused unless the plate is one of <paramref name="amortizedPlates"/> (the data
    /// plates whose local latents an amortized guide covers, <see cref="AutoAmortizedNormal"/>).
    /// </summary>
    public static ModelPrototype Capture(Action model, ulong seed = 0, IReadOnlyCollection<string>? amortizedPlates = null)
    {
        var trace = PriorTrace(model, seed);
        var latents = new List<LatentSite>();
        int nesting = Nesting(trace);
        foreach (var s in trace.Sites)
        {
            if (s.Kind != SiteKind.Sample || !s.IsLatent) continue;
            var d = s.Distribution!;
            var value = s.Value!;
            var support = d.Support;
            var frames = s.Frames.ToArray();
            foreach (var f in frames)
                if (f.SubsampleSize != f.Size && !(amortizedPlates?.Contains(f.Name) ?? false))
                    throw new NotSupportedException(
                        $"Latent site '{s.Name}' sits in plate '{f.Name}', which subsamples: automatic guides cover global latents and full plates; write a guide by hand for local latents under subsampling, or use AutoAmortizedNormal with the plate's data.");
            int[] ushape;
            var bijector = ConstraintCodec.UnconstrainingBijector(support);
            if (bijector is null) ushape = value.Shape.ToArray();
            else
                using (new TensorScope())
                    ushape = bijector.Inverse(value).Shape.ToArray();
            latents.Add(new LatentSite(s.Name, value.Shape.ToArray(), d.EventShape.Length, support, frames, ushape));
        }
        return new ModelPrototype(latents, nesting, trace);
    }

    /// <summary>
    /// The model's plate depth alone, from one prior run: unlike <see cref="Capture"/> it accepts latent sites in
    /// subsampled plates (local latents, which hand-written guides cover).
    /// </summary>
    public static int PlateNesting(Action model, ulong seed = 0)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Nesting(PriorTrace(model, seed));
    }

    private static Trace PriorTrace(Action model, ulong seed)
    {
        using (GradMode.Disable())
        using (new SeedMessenger(seed).Enter())
        {
            var tm = new TraceMessenger();
            using (tm.Enter()) model();
            return tm.Trace;
        }
    }

    private static int Nesting(Trace trace)
    {
        int nesting = 0;
        foreach (var s in trace.Sites)
            if (s.Kind == SiteKind.Sample)
                foreach (var f in s.Frames) nesting = Math.Max(nesting, -f.Dim);
        return nesting;
    }
}
