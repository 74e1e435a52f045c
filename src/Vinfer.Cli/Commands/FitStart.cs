using System.Globalization;
using Vinfer.Data;
using Vinfer.Inference;

namespace Vinfer.Cli.Commands;

/// <summary>
/// What <c>--init</c> asks, as Stan's <c>init</c> argument offers it: <c>pathfinder</c> (the default), <c>origin</c>
/// or <c>0</c> (every unconstrained value zero), a number R &gt; 0 (uniform(−R, R) on the unconstrained scale), or a
/// JSON file of constrained values per parameter (<see cref="InitialValues"/>).
/// </summary>
internal sealed record FitStart(AdviStart Start, double? Radius, InitialValues? Values)
{
    /// <summary>Reads the text of <c>--init</c>; throws an <see cref="ArgumentException"/> naming the value when it is none of the forms.</summary>
    public static FitStart Parse(string text)
    {
        switch (text)
        {
            case "pathfinder": return new(AdviStart.Pathfinder, null, null);
            case "origin": return new(AdviStart.Origin, null, null);
        }
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double r))
        {
            if (r == 0) return new(AdviStart.Origin, null, null);
            if (!(r > 0) || double.IsInfinity(r))
                throw new ArgumentException($"--init is {text}: a number must be 0 or a finite positive radius R (uniform(-R, R) on the unconstrained scale).");
            return new(AdviStart.Origin, r, null);
        }
        if (text.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || File.Exists(text))
        {
            if (!File.Exists(text)) throw new ArgumentException($"--init file '{text}' does not exist.");
            try
            {
                return new(AdviStart.Origin, null, InitialValues.Load(text));
            }
            catch (DataFormatException e)
            {
                throw new ArgumentException($"--init file '{text}': {e.Message}", e);
            }
        }
        throw new ArgumentException($"--init '{text}' is not one of pathfinder, origin, 0, a radius R > 0 or a JSON file of initial values.");
    }
}
