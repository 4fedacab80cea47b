using System.Globalization;

namespace SimpleRnnTorch.Prediction;

/// <summary>Reads and writes sequences the way a user types them: "50,60,70", "50 60 70" or "[50, 60, 70]".</summary>
internal static class SequenceText
{
    public static bool TryParse(string text, out double[] values)
    {
        var parts = text.Trim().TrimStart('[').TrimEnd(']')
            .Split([',', ' ', '\t', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        values = new double[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !double.IsFinite(values[i]))
            {
                return false;
            }
        }

        return parts.Length > 0;
    }

    /// <summary>NumPy's style, as the lesson prints it: [50 60 70].</summary>
    public static string Format(IEnumerable<double> values) =>
        "[" + string.Join(' ', values.Select(v => v.ToString("0.####", CultureInfo.InvariantCulture))) + "]";
}
