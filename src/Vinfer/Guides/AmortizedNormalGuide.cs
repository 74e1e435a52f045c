using Vinfer.Distributions;
using Vinfer.Modeling;
using Vinfer.Nn;
using Vinfer.Tensors;

namespace Vinfer.Guides;

/// <summary>
/// An amortized guide for a local latent in a data plate (Pyro's <c>guide(x)</c> pattern; Kingma and Welling,
/// "Auto-encoding variational Bayes", 2014; Gershman and Goodman, "Amortized inference in probabilistic reasoning",
/// 2014): inside the plate — subsampled or not — the rows of the data that the plate selects go through an encoder
/// network whose output [B, 2·d] holds the mean and the log standard deviation of a diagonal normal q(z_i | x_i) over
/// the site's d-dimensional event (d = 1 with <see cref="ScalarLatent"/> for a scalar site). The encoder's weights are
/// ordinary parameters in the current ParamStore, so any objective (ELBO, IWAE with a local plate, VR) and the
/// optimizers fit them like other guide parameters. The plate's subsample indices are drawn by the plate itself,
/// and the model, run under replay, sees the same indices.
/// Limits: a diagonal normal family; one latent site per guide (compose guides for more).
/// </summary>
public sealed class AmortizedNormalGuide
{
    /// <summary>An amortized guide for site <paramref name="site"/> in plate <paramref name="plate"/> of <paramref name="size"/> entries.</summary>
    public AmortizedNormalGuide(string site, string plate, int size, int? subsampleSize, Tensor data, Module encoder, int latentSize, bool scalarLatent = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(site);
        ArgumentException.ThrowIfNullOrEmpty(plate);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(encoder);
        if (size < 1) throw new ArgumentOutOfRangeException(nameof(size), $"AmortizedNormalGuide '{site}': plate size must be positive, got {size}.");
        if (data.Rank < 1 || data.Dim(0) != size)
            throw new ArgumentException($"AmortizedNormalGuide '{site}': the data's first dimension must be the plate size {size}, got shape [{string.Join(", ", data.Shape.ToArray())}].", nameof(data));
        if (latentSize < 1) throw new ArgumentOutOfRangeException(nameof(latentSize), $"AmortizedNormalGuide '{site}': latent size must be positive, got {latentSize}.");
        if (scalarLatent && latentSize != 1)
            throw new ArgumentException($"AmortizedNormalGuide '{site}': a scalar latent has latent size 1, got {latentSize}.", nameof(latentSize));
        Site = site;
        PlateName = plate;
        Size = size;
        SubsampleSize = subsampleSize;
        Data = data;
        Encoder = encoder;
        LatentSize = latentSize;
        ScalarLatent = scalarLatent;
    }

    /// <summary>The latent site's name.</summary>
    public string Site { get; }

    /// <summary>The data plate's name (the model must use the same name, size and subsample size).</summary>
    public string PlateName { get; }

    /// <summary>The plate's full size.</summary>
    public int Size { get; }

    /// <summary>The subsample size, or null for the full plate.</summary>
    public int? SubsampleSize { get; }

    /// <summary>The data the encoder reads, [Size, …].</summary>
    public Tensor Data { get; }

    /// <summary>The encoder: [B, …] → [B, 2·LatentSize] (means, then log standard deviations).</summary>
    public Module Encoder { get; }

    /// <summary>The latent's event size d.</summary>
    public int LatentSize { get; }

    /// <summary>True when the site is scalar per entry (event shape []), false for a [d] event.</summary>
    public bool ScalarLatent { get; }

    /// <summary>The guide program: opens the plate, encodes the selected rows and samples the site.</summary>
    public void Guide()
    {
        using var plate = Primitives.Plate(PlateName, Size, SubsampleSize);
        var rows = SubsampleSize is null ? Data : Data.IndexSelect(0, plate.Indices);
        var (mean, scale) = Parameters(rows);
        Distribution q = ScalarLatent ? new Normal(mean.Reshape(mean.Dim(0)), scale.Reshape(scale.Dim(0))) : new Normal(mean, scale).ToEvent(1);
        Primitives.Sample(Site, q);
    }

    /// <summary>The encoder's mean and standard deviation [B, d] for data rows [B, …].</summary>
    public (Tensor Mean, Tensor Scale) Parameters(Tensor rows)
    {
        var h = Encoder.Forward(rows);
        if (h.Rank != 2 || h.Dim(1) != 2 * LatentSize)
            throw new InvalidOperationException($"AmortizedNormalGuide '{Site}': the encoder must output [batch, {2 * LatentSize}], got shape [{string.Join(", ", h.Shape.ToArray())}].");
        return (h.Narrow(1, 0, LatentSize), h.Narrow(1, LatentSize, LatentSize).Exp());
    }
}
