using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace SimpleRnnTorch.Cli;

/// <summary>
/// Options whose parse errors name the option and the accepted range in one line, e.g.
/// "--epochs must be an integer in [1, 1000000], got '0'".
/// </summary>
public static class OptionKit
{
    public static Option<int> Int(string name, string description, int defaultValue, int min, int max = int.MaxValue, string? alias = null)
    {
        var option = new Option<int>(name, Aliases(alias))
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            HelpName = "int",
        };
        option.CustomParser = result => ParseInt(result, name, min, max) ?? defaultValue;
        return option;
    }

    /// <summary>An optional integer in [min, max]; null when not given.</summary>
    public static Option<int?> NullableInt(string name, string description, int min, int max)
    {
        var option = new Option<int?>(name) { Description = description, HelpName = "int" };
        option.CustomParser = result => ParseInt(result, name, min, max);
        return option;
    }

    /// <summary>The token as an integer in [min, max], or null after adding the one-line error.</summary>
    private static int? ParseInt(ArgumentResult result, string name, int min, int max)
    {
        var token = SingleToken(result);
        if (int.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        var range = max == int.MaxValue ? $"an integer >= {min}" : $"an integer in [{min}, {max}]";
        result.AddError($"{name} must be {range}, got '{token}'");
        return null;
    }

    public static Option<long> Long(string name, string description, long defaultValue)
    {
        var option = new Option<long>(name) { Description = description, DefaultValueFactory = _ => defaultValue, HelpName = "int" };
        option.CustomParser = result =>
        {
            var token = SingleToken(result);
            if (long.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }

            result.AddError($"{name} must be a 64-bit integer, got '{token}'");
            return defaultValue;
        };
        return option;
    }

    /// <summary>A finite number in [min, max) or (min, max) depending on <paramref name="minExclusive"/>.</summary>
    public static Option<double> Double(string name, string description, double defaultValue, double min, double max, bool minExclusive, bool maxExclusive)
    {
        var range = $"a number in {(minExclusive ? "(" : "[")}{min.ToString(CultureInfo.InvariantCulture)}, " +
                    $"{(double.IsPositiveInfinity(max) ? "inf" : max.ToString(CultureInfo.InvariantCulture))}{(maxExclusive ? ")" : "]")}";
        var option = new Option<double>(name)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            HelpName = "number",
        };
        option.CustomParser = result =>
        {
            var token = SingleToken(result);
            if (double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
                && (minExclusive ? value > min : value >= min) && (maxExclusive ? value < max : value <= max))
            {
                return value;
            }

            result.AddError($"{name} must be {range}, got '{token}'");
            return defaultValue;
        };
        return option;
    }

    /// <summary>
    /// An enum chosen by its lower-case name. Parsed as text so that help shows "[default: cpu]";
    /// read it with <see cref="GetChoice{T}"/>.
    /// </summary>
    public static Option<string> Choice<T>(string name, string description, T defaultValue) where T : struct, Enum
    {
        var names = Enum.GetNames<T>().Select(n => n.ToLowerInvariant()).ToArray();
        var option = new Option<string>(name)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue.ToString().ToLowerInvariant(),
            HelpName = string.Join('|', names),
        };
        option.CustomParser = result =>
        {
            var token = SingleToken(result);
            if (names.Contains(token, StringComparer.OrdinalIgnoreCase))
            {
                return token.ToLowerInvariant();
            }

            result.AddError($"{name} must be one of {string.Join(", ", names)}, got '{token}'");
            return null;
        };
        return option;
    }

    /// <summary>
    /// Comma-separated integers, each in [min, max], e.g. "10000,100000"; "none" gives an empty list
    /// (to skip what the list drives).
    /// </summary>
    public static Option<int[]> IntList(string name, string description, int[] defaultValue, int min, int max)
    {
        var option = new Option<int[]>(name)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            HelpName = "n,n,...|none",
        };
        option.CustomParser = result =>
        {
            var token = SingleToken(result);
            if (token.Equals("none", StringComparison.OrdinalIgnoreCase))
            {
                return [];
            }

            var parts = token.Split(',', StringSplitOptions.TrimEntries);
            var values = new int[parts.Length];
            for (var i = 0; i < parts.Length; i++)
            {
                if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out values[i]) || values[i] < min || values[i] > max)
                {
                    result.AddError($"{name} must be comma-separated integers in [{min}, {max}] or 'none', got '{token}'");
                    return defaultValue;
                }
            }

            return values;
        };
        return option;
    }

    public static T GetChoice<T>(this ParseResult result, Option<string> option) where T : struct, Enum =>
        Enum.Parse<T>(result.GetValue(option)!, ignoreCase: true);

    private static string SingleToken(ArgumentResult result) => result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";

    private static string[] Aliases(string? alias) => alias is null ? [] : [alias];
}
