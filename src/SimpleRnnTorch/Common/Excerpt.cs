using System.Globalization;
using System.Text;

namespace SimpleRnnTorch.Common;

/// <summary>
/// What a message may show of something a user gave (a line, a cell, a value, a path): a short, printable,
/// one-line excerpt. Control and other non-printable characters are escaped (\n, \t, \x00, \u200B), so
/// neither a binary file's bytes nor a newline reach the terminal raw, and the text is cut with "…" after
/// <c>max</c> characters of output, so a 20 MB line costs a message of a few dozen characters.
/// </summary>
internal static class Excerpt
{
    /// <summary>
    /// A value read as float32, in the shortest form that is that float32 (1.0000001e30, 2.37e-38, 2.5e38): a message about a
    /// bound says the value the program holds, and a rounding to fewer digits could show a value past a bound as the bound.
    /// </summary>
    public static string Float(double value) =>
        ((float)value).ToString("R", System.Globalization.CultureInfo.InvariantCulture).Replace("E+", "e", StringComparison.Ordinal).Replace("E-", "e-", StringComparison.Ordinal);

    /// <summary>How much of a value or a line a message shows.</summary>
    public const int Short = 40;

    /// <summary>How much of a path a message shows.</summary>
    public const int Path = 200;

    public static string Of(ReadOnlySpan<char> text, int max = Short)
    {
        var result = new StringBuilder(Math.Min(text.Length, max) + 8);
        var i = 0;
        for (; i < text.Length && result.Length < max; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                result.Append(c).Append(text[i + 1]);
                i++;
                continue;
            }

            result.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when c < 0x100 && (char.IsControl(c) || c == '\u00AD') => $"\\x{(int)c:x2}",
                _ when !Printable(c) => $"\\u{(int)c:X4}",
                _ => c.ToString(),
            });
        }

        return i < text.Length ? result.Append('…').ToString() : result.ToString();
    }

    /// <summary>A path as messages show it: <see cref="Of"/> with room for a long path.</summary>
    public static string OfPath(string path) => Of(path, Path);

    private static bool Printable(char c) => CharUnicodeInfo.GetUnicodeCategory(c) switch
    {
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
            or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => false,
        _ => c != '\uFFFD', // what a byte that is not UTF-8 decodes to: shown as the escape, which says so
    };
}
