using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace SimpleRnnTorch.Cli;

/// <summary>
/// Options whose parse errors name the option and the accepted range in one line, e.g.
/// "--epochs must be an integer in [1, 1000000], got '0'".
/// </summary>
internal static class OptionKit
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

    /// <summary>A number in [0, 1] or <paramref name="keyword"/>, whose <see cref="NumberOrKeyword.Value"/> is then null; left out, the command decides (its description says how).</summary>
    public static Option<NumberOrKeyword> NumberOrKeyword(string name, string description, string keyword, double min = 0, double max = 1)
    {
        var option = new Option<NumberOrKeyword>(name)
        {
            Description = description,
            HelpName = $"number|{keyword}",
        };
        option.CustomParser = result =>
        {
            var token = SingleToken(result);
            if (token.Equals(keyword, StringComparison.OrdinalIgnoreCase))
            {
                return new(null);
            }

            if (double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
            {
                return new(value);
            }

            result.AddError($"{name} must be a number in [{min.ToString(CultureInfo.InvariantCulture)}, {max.ToString(CultureInfo.InvariantCulture)}] or {keyword}, got '{token}'");
            return default;
        };
        return option;
    }

    /// <summary>
    /// An enum chosen by its lower-case name ("--cell gru"), typed end to end: the command reads
    /// <c>GetValue(option).Value</c>, a <typeparamref name="T"/>. Help shows the lower-case names.
    /// </summary>
    public static Option<Choice<T>> Choice<T>(string name, string description, T defaultValue) where T : struct, Enum =>
        Choice(name, description, defaultValue, Enum.GetValues<T>());

    /// <summary>A choice among some of an enum's values (the others are refused as unknown names).</summary>
    public static Option<Choice<T>> Choice<T>(string name, string description, T defaultValue, IReadOnlyList<T> allowed) where T : struct, Enum
    {
        var names = allowed.Select(v => v.ToString().ToLowerInvariant()).ToArray();
        var option = new Option<Choice<T>>(name)
        {
            Description = description,
            DefaultValueFactory = _ => new(defaultValue),
            HelpName = string.Join('|', names),
        };
        option.CustomParser = result =>
        {
            var token = SingleToken(result);
            if (names.Contains(token, StringComparer.OrdinalIgnoreCase))
            {
                return new(Enum.Parse<T>(token, ignoreCase: true));
            }

            result.AddError($"{name} must be one of {string.Join(", ", names)}, got '{token}'");
            return default;
        };
        return option;
    }

    /// <summary>
    /// A choice among some of an enum's values or <paramref name="unset"/> (the default), whose
    /// <see cref="ChoiceOrUnset{T}.Value"/> is then null: the program decides. (A parser may not return null itself:
    /// System.CommandLine takes that for a failed conversion.)
    /// </summary>
    public static Option<ChoiceOrUnset<T>> ChoiceOrUnset<T>(string name, string description, string unset, IReadOnlyList<T> allowed) where T : struct, Enum
    {
        var names = allowed.Select(v => v.ToString().ToLowerInvariant()).ToArray();
        var option = new Option<ChoiceOrUnset<T>>(name)
        {
            Description = $"{description} [default: {unset}]",
            HelpName = string.Join('|', [unset, .. names]),
        };
        option.CustomParser = result =>
        {
            var token = SingleToken(result);
            if (token.Equals(unset, StringComparison.OrdinalIgnoreCase))
            {
                return default;
            }

            if (names.Contains(token, StringComparer.OrdinalIgnoreCase))
            {
                return new(Enum.Parse<T>(token, ignoreCase: true));
            }

            result.AddError($"{name} must be one of {string.Join(", ", [unset, .. names])}, got '{token}'");
            return default;
        };
        return option;
    }

    public static string[] ChoiceNames<T>() where T : struct, Enum => Enum.GetNames<T>().Select(n => n.ToLowerInvariant()).ToArray();

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

    /// <summary>
    /// Comma-separated enum names, e.g. "rnn,gru", each at most once, typed end to end like
    /// <see cref="Choice{T}"/>; help shows the default list.
    /// </summary>
    public static Option<Choices<T>> ChoiceList<T>(string name, string description, IReadOnlyList<T> defaultValue) where T : struct, Enum
    {
        var names = ChoiceNames<T>();
        var option = new Option<Choices<T>>(name)
        {
            Description = description,
            DefaultValueFactory = _ => new(defaultValue),
            HelpName = string.Join(',', names),
        };
        option.CustomParser = result =>
        {
            var token = SingleToken(result);
            var parts = token.Split(',', StringSplitOptions.TrimEntries);
            if (parts.All(p => names.Contains(p, StringComparer.OrdinalIgnoreCase)) && parts.Distinct(StringComparer.OrdinalIgnoreCase).Count() == parts.Length)
            {
                return new(parts.Select(p => Enum.Parse<T>(p, ignoreCase: true)).ToArray());
            }

            result.AddError($"{name} must be comma-separated names from {string.Join(", ", names)}, each once, got '{token}'");
            return default;
        };
        return option;
    }

    /// <summary>True when the user gave the option, not just its default.</summary>
    public static bool Given(this ParseResult result, Option option) => result.GetResult(option) is { Implicit: false };

    private static string SingleToken(ArgumentResult result) => result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";

    private static string[] Aliases(string? alias) => alias is null ? [] : [alias];

    /// <summary>
    /// A comma-separated list as a CSV row writes it: a name holding a comma or a quote in double quotes, a quote in it
    /// doubled ("a,b",x or "say ""hi"""), each name trimmed; null where a quote is left open.
    /// </summary>
    /// <remarks>Not Sep, which reads the files: it splits these the same way but reads a quote left open to the end of the
    /// text without a word (an open quote before a,b gives one id, a,b), where an option should be refused.</remarks>
    public static string[]? SplitList(string text)
    {
        var names = new List<string>();
        var current = new System.Text.StringBuilder();
        var (quoted, wasQuoted) = (false, false);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c != '"')
                {
                    current.Append(c);
                }
                else if (i + 1 < text.Length && text[i + 1] == '"')
                {
                    current.Append('"');
                    i++;
                }
                else
                {
                    quoted = false;
                }
            }
            else if (c == '"' && current.ToString().Trim().Length == 0)
            {
                (quoted, wasQuoted) = (true, true);
                current.Clear();
            }
            else if (c == ',')
            {
                names.Add(wasQuoted ? current.ToString() : current.ToString().Trim());
                (current, wasQuoted) = (new System.Text.StringBuilder(), false);
            }
            else if (!(wasQuoted && char.IsWhiteSpace(c)))
            {
                current.Append(c);
            }
        }

        if (quoted)
        {
            return null;
        }

        names.Add(wasQuoted ? current.ToString() : current.ToString().Trim());
        return [.. names];
    }
}

/// <summary>An enum value, or null where the command line left the choice to the program (<see cref="OptionKit.ChoiceOrUnset"/>).</summary>
internal readonly record struct ChoiceOrUnset<T>(T? Value) where T : struct, Enum;

/// <summary>A number, or null where the option's keyword left it to the program (<see cref="OptionKit.NumberOrKeyword"/>).</summary>
internal readonly record struct NumberOrKeyword(double? Value);

/// <summary>
/// An enum value as the command line spells it: help prints a default through ToString, and this one
/// prints "cpu" where the enum would print "Cpu". <see cref="Value"/> is the typed choice.
/// </summary>
internal readonly record struct Choice<T>(T Value) where T : struct, Enum
{
    public override string ToString() => Value.ToString().ToLowerInvariant();
}

/// <summary>Several enum values as the command line spells them ("rnn,lstm,gru"); <see cref="Values"/> is the typed list.</summary>
internal sealed record Choices<T>(IReadOnlyList<T> Values) where T : struct, Enum
{
    public override string ToString() => string.Join(',', Values.Select(v => v.ToString().ToLowerInvariant()));
}
