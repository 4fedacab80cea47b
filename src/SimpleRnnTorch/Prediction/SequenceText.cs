using System.Globalization;
using SimpleRnnTorch.Common;

namespace SimpleRnnTorch.Prediction;

/// <summary>Reads and writes sequences the way a user types them: "50,60,70", "50 60 70" or "[50, 60, 70]".</summary>
internal static class SequenceText
{
    /// <summary>Values a message shows of a sequence before it cuts it with "…".</summary>
    private const int ShownValues = 8;

    public static bool TryParse(string text, out double[] values) => Problem(text, out values) is null;

    /// <summary>
    /// Null when <paramref name="text"/> is a sequence of numbers that float32 holds (the models compute in
    /// float32: 1e39 would become infinity), else why not, with a short excerpt of the text
    /// ("'abc' is not a sequence of numbers such as 50,60,70"). Values are separated by commas, semicolons or
    /// spaces; two commas with nothing between them are a missing value, refused rather than skipped (it would shift
    /// every value after it by a step), and commas beside semicolons are refused as decimal commas (317,6;391,8 would
    /// otherwise read as four values).
    /// </summary>
    public static string? Problem(string text, out double[] values)
    {
        values = [];

        // A loose separator at either end ("1,2,3,", "[50, 60, 70]") is no value.
        var inner = text.Trim().TrimStart('[').TrimEnd(']').Trim([',', ';', ' ', '\t']);
        var separator = inner.Contains(',') ? ',' : inner.Contains(';') ? ';' : (char?)null;
        if (inner.Contains(',') && inner.Contains(';'))
        {
            return $"'{Excerpt.Of(text)}' has both ',' and ';' between its values: a decimal comma (317,6) reads as two values; write decimal points (317.6) and one separator";
        }

        List<string> parts = [];
        if (separator is null)
        {
            parts.AddRange(inner.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries));
        }
        else
        {
            // Commas (or semicolons) between values, spaces beside them: "1, 2, 3". Spaces between two values as well
            // ("1,2 3", or decimal commas "317,6 391,8") leave it unclear where a value ends.
            foreach (var piece in inner.Split(separator.Value, StringSplitOptions.TrimEntries))
            {
                if (piece.Length == 0)
                {
                    return $"'{Excerpt.Of(text)}' has no value between two separators (value {parts.Count + 1} is missing): give every value, filling missing ones first";
                }

                if (piece.AsSpan().IndexOfAny(' ', '\t') >= 0)
                {
                    // Text with a space in it is not numbers at all, whatever separates them.
                    return !piece.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).All(p => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                        ? NotASequence(text) : $"'{Excerpt.Of(text)}' separates its values with both '{separator}' and spaces: a decimal comma (317,6 391,8) reads as two values; write decimal points (317.6) and separate the values one way";
                }

                parts.Add(piece);
            }
        }

        values = new double[parts.Count];
        for (var i = 0; i < parts.Count; i++)
        {
            var number = double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]);
            if (!number && !Data.SeriesFile.IsMissing(parts[i]))
            {
                return NotASequence(text);
            }

            if (!number || double.IsNaN(values[i]))
            {
                return $"holds '{Excerpt.Of(parts[i])}' (value {i + 1}), a missing value: give every value, filling missing ones first";
            }

            if (!(Math.Abs(values[i]) <= float.MaxValue))
            {
                return $"holds '{Excerpt.Of(parts[i])}' (value {i + 1}), beyond float32's range (±3.4e38), in which the model computes";
            }

            if (Inference.OnnxModelInfo.VanishesInFloat32(values[i]))
            {
                return $"holds '{Excerpt.Of(parts[i])}' (value {i + 1}), too small for float32 (it would become 0; the smallest nonzero is 1.4e-45), in which the model computes";
            }
        }

        return parts.Count > 0 ? null : NotASequence(text);
    }

    private static string NotASequence(string text) => $"'{Excerpt.Of(text)}' is not a sequence of numbers such as 50,60,70";

    /// <summary>NumPy's style, as the lesson prints it: [50 60 70]; a value that four decimals would show as 0, or one of 1e15 or more, in exponent form (1E-40).</summary>
    public static string Format(IEnumerable<double> values) =>
        "[" + string.Join(' ', values.Select(v => v.ToString(v != 0 && Math.Abs(v) is < 5e-5 or >= 1e15 ? "G4" : "0.####", CultureInfo.InvariantCulture))) + "]";

    /// <summary>For messages: <see cref="Format"/> of the first few values, "[1 2 3 4 5 6 7 8 …]" when there are more.</summary>
    public static string Brief(IReadOnlyList<double> values) =>
        values.Count <= ShownValues ? Format(values) : Format(values.Take(ShownValues))[..^1] + " …]";
}
