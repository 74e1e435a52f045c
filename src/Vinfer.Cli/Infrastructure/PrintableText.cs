using System.Globalization;
using System.Text;

namespace Vinfer.Cli.Infrastructure;

/// <summary>
/// Text safe to print on one terminal line: messages can quote a user's file, and a binary file's bytes (control
/// characters, escape sequences, the replacement character of undecodable bytes) would otherwise reach the terminal.
/// Control and format characters become <c>\xNN</c> / <c>\uNNNN</c>, U+FFFD becomes <c>\ufffd</c>, and a message longer
/// than <see cref="MaxLength"/> is cut with an ellipsis.
/// </summary>
public static class PrintableText
{
    /// <summary>The longest message printed whole.</summary>
    public const int MaxLength = 600;

    /// <summary>The printable form of <paramref name="text"/>.</summary>
    public static string Sanitize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sb = new StringBuilder(Math.Min(text.Length, MaxLength + 16));
        foreach (var rune in text.EnumerateRunes())
        {
            if (sb.Length >= MaxLength)
            {
                sb.Append('…');
                break;
            }
            var category = Rune.GetUnicodeCategory(rune);
            if (rune.Value < 0x20 || rune.Value == 0x7f)
                sb.Append(CultureInfo.InvariantCulture, $"\\x{rune.Value:x2}");
            else if (rune.Value == 0xfffd || category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
                     or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
                sb.Append(CultureInfo.InvariantCulture, $"\\u{rune.Value:x4}");
            else
                sb.Append(rune.ToString());
        }
        return sb.ToString();
    }
}
