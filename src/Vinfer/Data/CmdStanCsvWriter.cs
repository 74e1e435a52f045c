using Vinfer.IO;
using System.Globalization;
using System.Text;

namespace Vinfer.Data;

/// <summary>
/// Writes variational draws in the layout of CmdStan's <c>variational</c> method output (CmdStan Guide, "Stan CSV
/// file format", variational section), so that tools that read CmdStan output (cmdstanpy, cmdstanr and the posterior
/// package, ArviZ) read it: '#' comment lines with the configuration, the header
/// <c>lp__,log_p__,log_g__,</c> followed by the parameters with Stan's CSV names (<c>beta[3]</c> → <c>beta.3</c>),
/// the two comment lines <c># Stepsize adaptation complete.</c> and <c># eta = η</c>, then the row of the
/// approximation's mean (lp__, log_p__ and log_g__ zero), then one row per draw with lp__ = 0, log_p__ the log joint
/// density and log_g__ the log density of the approximation at the draw. The file is written atomically.
/// </summary>
public static class CmdStanCsvWriter
{
    /// <summary>Stan's CSV column name for a scalar parameter written with brackets: <c>theta[2,3]</c> → <c>theta.2.3</c>.</summary>
    public static string ColumnName(string stanName)
    {
        ArgumentException.ThrowIfNullOrEmpty(stanName);
        int open = stanName.IndexOf('[');
        if (open < 0) return stanName;
        if (!stanName.EndsWith(']')) throw new ArgumentException($"parameter name '{stanName}' has an unclosed '['", nameof(stanName));
        var indices = stanName[(open + 1)..^1].Split(',', StringSplitOptions.TrimEntries);
        return stanName[..open] + "." + string.Join(".", indices);
    }

    /// <summary>Writes the variational output file.</summary>
    /// <param name="path">Destination; written through a temporary file and renamed.</param>
    /// <param name="parameterNames">Scalar parameter names (Stan style, e.g. <c>beta[1]</c>), P of them.</param>
    /// <param name="mean">The approximation's mean on the constrained scale (P values).</param>
    /// <param name="draws">Row-major draws (S×P, constrained scale).</param>
    /// <param name="logP">log p(x, z) per draw (S values).</param>
    /// <param name="logG">log q(z) per draw (S values).</param>
    /// <param name="config">Configuration lines written as comments (key, value), in order; may be empty.</param>
    /// <param name="eta">The step-size scale reported after "Stepsize adaptation complete." (1 when not adapted).</param>
    public static void WriteVariational(string path, IReadOnlyList<string> parameterNames, ReadOnlySpan<double> mean,
        ReadOnlySpan<double> draws, ReadOnlySpan<double> logP, ReadOnlySpan<double> logG,
        IReadOnlyList<KeyValuePair<string, string>>? config = null, double eta = 1.0)
    {
        ArgumentNullException.ThrowIfNull(parameterNames);
        int p = parameterNames.Count;
        if (mean.Length != p) throw new ArgumentException($"mean has {mean.Length} values for {p} parameters", nameof(mean));
        int s = logP.Length;
        if (logG.Length != s) throw new ArgumentException($"log_g__ has {logG.Length} values, log_p__ has {s}", nameof(logG));
        if (draws.Length != s * p) throw new ArgumentException($"draws has {draws.Length} values, expected {s}×{p}", nameof(draws));

        var sb = new StringBuilder();
        sb.Append("# vinfer_version = ").Append(VinferInfo.Version).Append('\n');
        sb.Append("# method = variational\n");
        if (config is not null)
            foreach (var (key, value) in config) sb.Append("#   ").Append(key).Append(" = ").Append(value).Append('\n');
        sb.Append("lp__,log_p__,log_g__");
        foreach (var name in parameterNames) sb.Append(',').Append(ColumnName(name));
        sb.Append('\n');
        sb.Append("# Stepsize adaptation complete.\n");
        sb.Append("# eta = ").Append(Format(eta)).Append('\n');
        sb.Append("0,0,0");
        foreach (var v in mean) sb.Append(',').Append(Format(v));
        sb.Append('\n');
        for (int i = 0; i < s; i++)
        {
            sb.Append('0').Append(',').Append(Format(logP[i])).Append(',').Append(Format(logG[i]));
            foreach (var v in draws.Slice(i * p, p)) sb.Append(',').Append(Format(v));
            sb.Append('\n');
        }
        AtomicFile.WriteAllText(path, sb.ToString());
    }

    /// <summary>Formats a value as Stan CSV does for non-finite values (nan, inf, -inf), shortest round-trip otherwise.</summary>
    public static string Format(double v) =>
        double.IsNaN(v) ? "nan" : double.IsPositiveInfinity(v) ? "inf" : double.IsNegativeInfinity(v) ? "-inf" : v.ToString("R", CultureInfo.InvariantCulture);
}
