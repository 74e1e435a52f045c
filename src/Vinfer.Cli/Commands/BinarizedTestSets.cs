using System.Globalization;
using System.Text.Json.Nodes;
using Vinfer.Data;
using Vinfer.Experiments.Vae;

namespace Vinfer.Cli.Commands;

/// <summary>
/// The statically binarized test sets of <c>vinfer experiment vae</c> runs, exported by
/// <c>vinfer data split --binarized-test SEEDS</c> for the PyTorch peer (bench/peers/vae_mnist.py). Static
/// binarization (Burda et al. 2016, section 5.1) draws one binary image per grey image; two systems that each draw
/// their own evaluate on different test sets, whose mean log-likelihoods differ by the draw's noise (of the order of
/// the standard error over images). Exporting Vinfer's draw makes the comparison one of models, not of test sets.
/// Each set is numpy.packbits of the row-major [images, pixels] 0/1 array (most significant bit first), base64.
/// </summary>
public static class BinarizedTestSets
{
    /// <summary>Parses "1,2,3" into seeds; one ArgumentException naming the bad entry otherwise.</summary>
    public static ulong[] ParseSeeds(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var seeds = new ulong[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!ulong.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out seeds[i]))
                throw new ArgumentException($"--binarized-test: '{parts[i]}' in '{text}' is not a seed (a non-negative integer); expected e.g. 1,2,3.");
        return seeds;
    }

    /// <summary>Adds <c>binarized_test</c> (seed → packed bits) and its shape to the split <paramref name="json"/> of <paramref name="dataset"/>.</summary>
    public static void Add(JsonObject json, string dataset, IReadOnlyList<ulong> seeds)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(seeds);
        var data = ImageDatasets.Load(dataset);
        var sets = new JsonObject();
        foreach (var seed in seeds)
        {
            var test = VaeExperiment.BinarizedTest(new VaeExperimentOptions { Dataset = dataset, Seed = seed }, data);
            sets[seed.ToString(CultureInfo.InvariantCulture)] = Convert.ToBase64String(Pack(test.Pixels));
        }
        json["binarized_test"] = sets;
        json["binarized_test_shape"] = new JsonArray(data.Test.Count, data.Test.PixelCount);
        json["binarized_test_encoding"] = "numpy.packbits of the row-major [images, pixels] 0/1 array, base64; the first N images are the test set of a run with --test-images N";
    }

    /// <summary>Packs 0/1 values into bytes, most significant bit first (numpy.packbits' default order), the last byte padded with zeros.</summary>
    public static byte[] Pack(ReadOnlySpan<double> bits)
    {
        var bytes = new byte[(bits.Length + 7) / 8];
        for (int i = 0; i < bits.Length; i++)
            if (bits[i] != 0) bytes[i >> 3] |= (byte)(0x80 >> (i & 7));
        return bytes;
    }
}
