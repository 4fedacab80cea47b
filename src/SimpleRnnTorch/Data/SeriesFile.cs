using System.Globalization;
using SimpleRnnTorch.Common;
using nietras.SeparatedValues;

namespace SimpleRnnTorch.Data;

/// <summary>
/// One column of a CSV file as a series of float32 values, in time order, with what the output needs to
/// talk about it: its name, its time column, how many missing values were filled and how many missing
/// dates were inserted.
/// </summary>
/// <param name="Filled">Missing values (empty cells, NaN) filled by interpolation.</param>
/// <param name="Inserted">Positions a dated time column skipped, inserted and filled by interpolation (also in <see cref="Length"/>).</param>
internal sealed record Series(string Source, string Name, float[] Values, TimeAxis? Time, int Filled, char Separator, bool HasHeader, long Inserted = 0)
{
    public int Length => Values.Length;

    /// <summary>The file's columns: with one, <see cref="Separator"/> is the reader's guess, not the file's.</summary>
    public int Columns { get; init; } = 2;

    /// <summary>"1947" or "2010-12" with a regular time column, else "value 248" (1-based, as a reader counts rows).</summary>
    public string Label(long index) => Time?.Label(index, Length) ?? $"value {index + 1}";

    /// <summary>"YEAR 1947" or "value 248".</summary>
    public string Where(long index) => Time?.Label(index, Length) is { } label ? $"{Time.Name} {label}" : $"value {index + 1}";

    /// <summary>The label of the k-th value (1-based) after the end: "2011-01", "1960Q1", "2010-12 +1" or "value 310".</summary>
    public string Beyond(int k) => Time?.Beyond(k, Length) ?? $"value {Length + k}";
}

/// <summary>
/// Reads a series from a CSV file with Sep, in one pass and without changing the file: a header or none
/// (the first row is a header when one of its cells is text where the second row has a number), `,`, `;`
/// or tab separators (inferred from the first row), quoted cells such as "YEAR", a UTF-8 BOM, CRLF or LF
/// line ends, numbers in the invariant culture ('.' decimal point). Blank lines are skipped.
/// <para>
/// Missing values are empty cells and NaN (also NA, N/A, null, any case): the first one refuses the file,
/// naming its line, unless <see cref="FillMethod.Linear"/> fills them.
/// </para>
/// <para>
/// The time column (<see cref="TimeAxisBuilder"/>): dates on a calendar step, numbers on a step, or labels.
/// Dated rows must be in order, each date once. Dates the step skips are refused, naming the first gap,
/// unless <see cref="FillMethod.Linear"/> inserts and fills them; at most as many as the values read
/// (<see cref="MaxInsertedPerValue"/>), so a mistyped year cannot ask for gigabytes.
/// </para>
/// <para>
/// Memory and passes: the file is read once; its lines are bounded as the parser reads them (a line past
/// <see cref="MaxLineBytes"/>, more lines than <see cref="MaxValues"/>), and the values go into one float32 array
/// that starts at a guess from the file's size and grows as a list would, trimmed at the end: twice the series at
/// most, for a moment. No cell becomes a string, except the few the header and the labels keep.
/// </para>
/// Every problem is a <see cref="SeriesDataException"/> with one line that names the file and the place.
/// </summary>
internal static partial class SeriesFile
{
    /// <summary>Missing dates inserted per value read, at most: the filled series is at most twice the file's.</summary>
    public const int MaxInsertedPerValue = 1;

    /// <summary>The largest CSV file read: 50 million values (--sequences' maximum) of up to ~40 characters a line.</summary>
    public const long MaxFileBytes = 2L << 30;

    /// <summary>The most values a series may have (a header line aside): what the values' array is sized by, checked before it is allocated.</summary>
    public const long MaxValues = 50_000_000;

    /// <summary>Why <paramref name="path"/> cannot be read as a series file (not a regular file, past <see cref="MaxFileBytes"/>), after its quoted name; null when it can.</summary>
    public static string? FileProblem(string path) =>
        Directory.Exists(path) ? " is a folder, not a CSV file" : Inference.InputFileCheck.Problem(path, MaxFileBytes, "a CSV file");

    /// <summary>
    /// The series <paramref name="settings"/> name. The command line reads it for the resource budget before the run
    /// prepares it: the second ask of an unchanged file (same settings, size and time written) is answered from the
    /// first, so the file is read once.
    /// </summary>
    public static Series Read(SeriesSettings settings) => Last.Get(settings);

    /// <summary>As <see cref="Read(SeriesSettings)"/>, with how long the file's reading took (the first read's, when this one is answered from it).</summary>
    public static Series Read(SeriesSettings settings, out TimeSpan took) => Last.Get(settings, out took);

    private static readonly LastRead<SeriesSettings, Series> Last = new(ReadFile, settings => settings.File);

    private static Series ReadFile(SeriesSettings settings) =>
        Open(settings.File, settings.Labels, (reader, source, length) => Parse(reader, settings, source, settings.File, Math.Clamp(length / 8, 16, 1 << 20)));

    /// <summary>
    /// The file checked (a regular file within <see cref="MaxFileBytes"/>, not empty) and handed to <paramref name="parse"/>
    /// as a Sep reader over its bounded lines (<see cref="LineBoundedStream"/>), with how messages name it and its length;
    /// an I/O failure is one line. What a series and a panel share of reading a CSV file.
    /// </summary>
    internal static T Open<T>(string path, SeriesLabels labels, Func<SepReader, string, long, T> parse)
    {
        var source = $"{labels.Data} '{Excerpt.OfPath(path)}'";
        if (FileProblem(path) is { } problem)
        {
            throw new SeriesDataException(source + problem);
        }

        try
        {
            if (new FileInfo(path).Length == 0)
            {
                throw new SeriesDataException($"{source} is empty");
            }

            // One pass over the file: the lines are bounded as the parser reads them (LineBoundedStream), and the
            // values' arrays start small and grow, trimmed at the end.
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
            using var bounded = new LineBoundedStream(file, source);
            using var reader = Sep.Reader(o => o with
            {
                HasHeader = false,
                Unescape = true,
                Trim = SepTrim.All,
                DisableColCountCheck = true,
            }).From(bounded);
            return parse(reader, source, file.Length);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException or InvalidDataException)
        {
            throw new SeriesDataException($"{source} cannot be read: {e.Message.Split('\n')[0].Trim()}");
        }
    }

    /// <summary>The longest line read, checked before the reader sees it: the widest row of a CSV a user may mean, with room.</summary>
    public const long MaxLineBytes = 1L << 20;

    private static Series Parse(SepReader reader, SeriesSettings settings, string source, string path, long capacityGuess)
    {
        // The first rows decide the header and the columns; the rest streams.
        if (NextRow(reader) is not { } first)
        {
            throw new SeriesDataException($"{source} is empty (no rows)");
        }

        // Rows below it until each text cell of the first row has a value under it (one row, unless values are missing).
        List<BufferedRow> below = [];
        while (below.Count < HeaderLookahead && !Seen(first.Cells, below) && NextRow(reader) is { } row)
        {
            below.Add(row);
        }

        var hasHeader = IsHeader(first.Cells, below.Select(r => r.Cells).ToList());
        var header = hasHeader ? first.Cells : null;
        var columns = first.Cells.Length;
        BufferedRow? dataRow = hasHeader ? below.Count > 0 ? below[0] : null : first;
        if (dataRow is null)
        {
            throw new SeriesDataException($"{source} has a header and no values");
        }

        var timeIndex = settings.TimeColumn is { } time ? Resolve(time, settings.Labels.TimeColumn, header, columns, source, first.Cells) : -1;
        int valueIndex;
        if (settings.Column is { } column)
        {
            valueIndex = Resolve(column, settings.Labels.Column, header, columns, source, first.Cells);
            if (valueIndex == timeIndex)
            {
                throw new SeriesDataException($"{settings.Labels.Column} and {settings.Labels.TimeColumn} name the same column of {path}");
            }
        }
        else
        {
            valueIndex = DefaultColumn(dataRow.Value, columns, timeIndex, source, settings.Labels.Column, header);
        }

        if (header is not null && settings.Column is null)
        {
            DefaultUnambiguous(header, valueIndex, source, settings.Labels.Column);
        }

        var name = header is not null && header[valueIndex].Length > 0 ? header[valueIndex] : $"column {valueIndex}";
        var timeName = timeIndex < 0 ? null : header is not null && header[timeIndex].Length > 0 ? header[timeIndex] : $"column {timeIndex}";
        // The values' array starts at a guess from the file's size and grows as a list would (trimmed at the end).
        var capacity = (int)Math.Clamp(capacityGuess, 1, Array.MaxLength);
        var timeAxis = timeName is null ? null : new TimeAxisBuilder(timeName, source);
        var builder = new Builder(settings, source, name, defaultColumn: settings.Column is null, capacity, timeAxis);
        var needed = Math.Max(valueIndex, timeIndex) + 1;

        // The buffered rows, then the stream.
        List<BufferedRow> buffered = hasHeader ? below : [first, .. below];
        foreach (var row in buffered)
        {
            Check(row.Cells.Length, row.Line, needed, source);
            builder.Add(row.Cells[valueIndex], timeIndex < 0 ? default : row.Cells[timeIndex], row.Line);
        }

        while (reader.MoveNext())
        {
            var row = reader.Current;
            if (IsBlank(row))
            {
                continue;
            }

            var line = row.LineNumberFrom;
            Check(row.ColCount, line, needed, source);
            builder.Add(row[valueIndex].Span, timeIndex < 0 ? default : row[timeIndex].Span, line);
        }

        var (values, missing, axis, inserted) = Complete(builder, timeAxis, settings, source);
        if ((missing > 0 || inserted > 0) && !FillLinear(values))
        {
            throw new SeriesDataException($"{source}: {name} has no values, only missing ones");
        }

        return new Series(path, name, values, axis, missing, reader.Spec.Sep.Separator, hasHeader, inserted) { Columns = columns };
    }

    /// <summary>
    /// A read series' values and time axis: the axis built, the times its step skips inserted as NaN (or one line saying
    /// why not); the missing values are NaN until filled.
    /// </summary>
    internal static (float[] Values, int Missing, TimeAxis? Axis, long Inserted) Complete(Builder builder, TimeAxisBuilder? time, SeriesSettings settings, string source)
    {
        var values = builder.Finish(out var missing);
        TimeGaps? gaps = null;
        var axis = time?.Build(out gaps);
        if (axis is { GapUnit: { } unit } && gaps is not null)
        {
            return (Insert(values, axis, unit, gaps, settings.Fill, source, settings.Labels.Fill), missing, axis, gaps.Missing);
        }

        return (values, missing, axis, 0);
    }

    /// <summary>The series with the dates its step skips inserted as NaN, or one line saying why not.</summary>
    internal static float[] Insert(float[] values, TimeAxis axis, string unit, TimeGaps gaps, FillMethod fill, string source, string fillLabel)
    {
        var gap = gaps.FirstGap!;
        var length = values.Length + gaps.Missing;
        var first = $"line {gap.Line}: {axis.Name} jumps from {axis.Label(gap.Before, length)} (line {gap.PreviousLine}) to {axis.Label(gap.Before + gap.Missing + 1, length)}, " +
                    $"{Count(gap.Missing, unit)} missing";
        var all = gaps.Count > 1 ? $"; {Count(gaps.Missing, unit)} missing in {gaps.Count} gaps" : "";
        if (gaps.Missing > (long)values.Length * MaxInsertedPerValue || length > Array.MaxLength)
        {
            throw new SeriesDataException($"{source} {first}{all}: more missing {unit}s than the {values.Length} values read; check the {axis.Name} column");
        }

        if (fill == FillMethod.None)
        {
            throw new SeriesDataException($"{source} {first}{all}; give {fillLabel} linear to insert and interpolate them");
        }

        return gaps.Spread(values);
    }

    private static string Count(long n, string unit) => n == 1 ? $"1 {unit}" : $"{n} {unit}s";


    internal readonly record struct BufferedRow(string[] Cells, int Line);

    internal static BufferedRow? NextRow(SepReader reader)
    {
        while (reader.MoveNext())
        {
            var row = reader.Current;
            if (IsBlank(row))
            {
                continue;
            }

            var cells = new string[row.ColCount];
            for (var i = 0; i < cells.Length; i++)
            {
                cells[i] = row[i].ToString();
            }

            // Sep numbers the first row's lines from 2 when it infers the separator; the first row is line 1.
            return new BufferedRow(cells, row.RowIndex == 0 ? 1 : row.LineNumberFrom);
        }

        return null;
    }

    internal static bool IsBlank(SepReader.Row row) => row.ColCount == 1 && row[0].Span.IsWhiteSpace();

    /// <summary>Rows read after the first to decide whether it is a header: enough to see past a few missing values.</summary>
    internal const int HeaderLookahead = 32;

    internal static bool IsHeader(string[] first, string[]? second) => IsHeader(first, second is null ? [] : [second]);

    /// <summary>Whether every text cell of the first row has a value that is not missing below it (and there is a row below).</summary>
    internal static bool Seen(string[] first, List<BufferedRow> below) =>
        below.Count > 0 && Enumerable.Range(0, first.Length)
            .All(c => IsMissing(first[c]) || IsNumber(first[c]) || below.Any(r => c < r.Cells.Length && !IsMissing(r.Cells[c])));

    /// <summary>
    /// Whether the first row is a header, from the rows below it (up to <see cref="HeaderLookahead"/>): it is when one
    /// of its cells is text where the first value below it that is not missing is a number ("value" over "", "NA", "5");
    /// or, with no number in the row, when a text cell has only missing values below it ("value" over "NA", "NA");
    /// alone, any text makes a row a header. Missing values ("", NA) are neither text nor numbers.
    /// </summary>
    internal static bool IsHeader(string[] first, IReadOnlyList<string[]> below)
    {
        // A number written with a comma (100,00; 2.000,0) is not read as a number, but it is not a header's text either: under
        // "Datum;Wert" it still makes the first row a header, so that the refusal names the real problem.
        bool Numeric(string cell) => IsNumber(cell) || IsCommaNumber(cell);
        bool Text(string cell) => !IsMissing(cell) && !Numeric(cell);

        // So is a number with a unit or spaces ($100, 1.5%, 100 000) under a name that is not one itself ("value" over "$100"):
        // the refusal then names the cell, not a missing header; "5%" over "6%" is data, "5%" over "10.2" a name (pandas' quantiles).
        bool Under(string name, string cell) => Numeric(cell) || (IsDecoratedNumber(cell) && !IsDecoratedNumber(name));
        if (below.Count == 0)
        {
            return first.Any(Text);
        }

        var textOverMissing = false;
        for (var c = 0; c < first.Length; c++)
        {
            if (!Text(first[c]))
            {
                continue;
            }

            var next = below.Select(row => c < row.Length ? row[c] : "").FirstOrDefault(cell => !IsMissing(cell));
            if (next is null)
            {
                textOverMissing = true;
            }
            else if (Under(first[c], next))
            {
                return true;
            }
        }

        return textOverMissing && !first.Any(Numeric);
    }

    /// <summary>
    /// Refuses a default column whose header name another column also has (in any case): the output names the column
    /// read, and a name two columns share would not say which. An index given with --column says it unambiguously.
    /// </summary>
    private static void DefaultUnambiguous(string[] header, int index, string source, string columnLabel)
    {
        if (header[index].Length > 0 && Ambiguity(header, header[index], StringComparison.OrdinalIgnoreCase) is { } problem)
        {
            throw new SeriesDataException($"{source}: the column read by default is one of {problem}; give {columnLabel} as an index");
        }
    }

    /// <summary>"2 columns named 'value' (0 and 2, from 0)" when more than one header cell is <paramref name="name"/>; else null.</summary>
    private static string? Ambiguity(string[] header, string name, StringComparison comparison)
    {
        var same = Enumerable.Range(0, header.Length).Where(i => string.Equals(header[i], name, comparison)).ToList();
        if (same.Count < 2)
        {
            return null;
        }

        var list = same.Count == 2 ? $"{same[0]} and {same[1]}" : string.Join(", ", same.Take(5)) + (same.Count > 5 ? ", ..." : "");
        var names = string.Join(" / ", same.Select(i => header[i]).Distinct(StringComparer.Ordinal).Take(3).Select(n => $"'{Excerpt.Of(n)}'"));
        return $"{same.Count} columns named {names} (columns {list}, numbered from 0)";
    }

    /// <param name="firstRow">The first row where it was not read as a header: a name among its cells gets a message that says why it was not.</param>
    internal static int Resolve(string given, string option, string[]? header, int columns, string source, string[]? firstRow = null)
    {
        if (header is not null)
        {
            // A name two columns share is ambiguous: refused, not the first taken. "Value" beside "value" is not, given exactly.
            var exact = Array.IndexOf(header, given);
            var ambiguity = Ambiguity(header, given, exact >= 0 ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase);
            if (ambiguity is not null)
            {
                throw new SeriesDataException($"{option} '{Excerpt.Of(given)}' is ambiguous: {source} has {ambiguity}; rename them in the file or give {option} as an index");
            }

            if (exact >= 0)
            {
                return exact;
            }

            var folded = header.Select((h, i) => (h, i)).Where(x => string.Equals(x.h, given, StringComparison.OrdinalIgnoreCase)).ToList();
            if (folded.Count == 1)
            {
                return folded[0].i;
            }
        }

        if (int.TryParse(given, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            return index < columns
                ? index
                : throw new SeriesDataException($"{option} {index} is past the last column of {source}: it has {columns}, numbered from 0");
        }

        if (header is null && firstRow is not null && firstRow.Any(cell => string.Equals(cell.Trim(), given, StringComparison.OrdinalIgnoreCase)))
        {
            // "month,name" over "2000-01,foo": the row is names, but with no name over a number nothing tells it from data.
            throw new SeriesDataException($"{option} '{Excerpt.Of(given)}' is in the first row of {source}, which is not read as a header: no name in it stands above a number, " +
                                          "and a series' values must be numbers");
        }

        var known = header is not null
            ? "its columns: " + Excerpt.Of(string.Join(", ", header.Select(h => $"'{h}'")), Excerpt.Path)
            : $"it has no header; give an index from 0 to {columns - 1}";
        throw new SeriesDataException($"{option} '{Excerpt.Of(given)}' is not a column of {source} ({known})");
    }

    /// <summary>The last column (the time column aside) whose first value is a number or missing.</summary>
    /// <remarks>
    /// A number with a decimal comma right of it (1950;100,00) refuses the file, naming it: the column read would otherwise
    /// be a column of years or row numbers; one left of it (a product code 10,5 before the values), or commas between
    /// thousands right of it (a population of 5,150,233 beside the cases), is not the default's business.
    /// </remarks>
    internal static int DefaultColumn(BufferedRow row, int columns, int timeIndex, string source, string columnLabel, string[]? header = null)
    {
        // A column with no name whose first value is missing is what a separator at the end of every line makes: never the series.
        var last = Math.Min(columns, row.Cells.Length);
        bool Unnamed(int c) => header is not null && (c >= header.Length || string.IsNullOrWhiteSpace(header[c]));
        for (var c = last - 1; c >= 0; c--)
        {
            if (c != timeIndex && (IsNumber(row.Cells[c]) || (IsMissing(row.Cells[c]) && !Unnamed(c))))
            {
                return CommaProblem(row, Enumerable.Range(c + 1, last - c - 1).Where(k => k != timeIndex), source, decimalOnly: true) is { } right
                    ? throw new SeriesDataException(right)
                    : c;
            }
        }

        throw new SeriesDataException(CommaProblem(row, Enumerable.Range(0, last).Where(k => k != timeIndex), source)
                                      ?? $"{source} line {row.Line} has no numeric column; name one with {columnLabel}");
    }

    /// <summary>A number with a currency sign, a per cent sign or spaces between its digits ($100, 1.5%, € 3, 100 000), which is not read as one.</summary>
    internal static bool IsDecoratedNumber(string cell) => cell.Length <= MaxCommaNumber && DecoratedNumber().IsMatch(cell.Trim());

    [System.Text.RegularExpressions.GeneratedRegex(@"^([$€£¥]\s?[+-]?\d[\d.]*|[+-]?\d[\d.]*\s?[%€£$]|[+-]?\d{1,3}([ \u00a0\u202f']\d{3})+(\.\d+)?)$")]
    private static partial System.Text.RegularExpressions.Regex DecoratedNumber();

    /// <summary>
    /// A number written with a comma, which is read as neither a number nor a header's text: a decimal comma (100,00; -3,5),
    /// with points between thousands (2.000,0), or commas between thousands (2,000; 1,234,567.5).
    /// </summary>
    internal static bool IsCommaNumber(string cell) => IsDecimalCommaNumber(cell) || (cell.Length <= MaxCommaNumber && ThousandsCommaNumber().IsMatch(cell.Trim()));

    /// <summary>A number with a decimal comma (100,00; 2.000,0), as a file of them writes its values; not 5,150,233, commas between thousands.</summary>
    internal static bool IsDecimalCommaNumber(string cell) => cell.Length <= MaxCommaNumber && DecimalCommaNumber().IsMatch(cell.Trim());

    [System.Text.RegularExpressions.GeneratedRegex(@"^[+-]?(\d+,\d+|\d{1,3}(\.\d{3})+,\d+)$")]
    private static partial System.Text.RegularExpressions.Regex DecimalCommaNumber();

    /// <summary>The longest cell taken for a number written with a comma: 3,000 digits, a comma and 3,000 more is not one.</summary>
    private const int MaxCommaNumber = 40;

    /// <summary>Commas between thousands: 2,000; 1,234,567.5.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")]
    private static partial System.Text.RegularExpressions.Regex ThousandsCommaNumber();

    /// <summary>
    /// The refusal of a file whose numbers are written with commas, or null: a cell of <paramref name="row"/> in
    /// <paramref name="columns"/> that is a comma number. Checked before a default column is chosen, which would otherwise
    /// fall back on a column of years or row numbers, or leave the comma columns out.
    /// </summary>
    internal static string? CommaProblem(BufferedRow row, IEnumerable<int> columns, string source, bool decimalOnly = false) =>
        columns.Where(c => c < row.Cells.Length).Select(c => row.Cells[c]).FirstOrDefault(decimalOnly ? IsDecimalCommaNumber : IsCommaNumber) is { } cell
            ? $"{source} line {row.Line} holds '{Excerpt.Of(cell.Trim())}', a number written with a comma (a decimal comma or a thousands separator): " +
              "numbers are read with '.' as the decimal point and no separators (12.5, 2000), so save the file that way"
            : null;

    internal static void Check(int fields, int line, int needed, string source)
    {
        if (fields < needed)
        {
            throw new SeriesDataException($"{source} line {line} has {fields} field(s); the column read is field {needed}");
        }
    }

    internal static bool IsMissing(ReadOnlySpan<char> cell)
    {
        cell = cell.Trim();
        return cell.IsEmpty
               || cell.Equals("nan", StringComparison.OrdinalIgnoreCase)
               || cell.Equals("na", StringComparison.OrdinalIgnoreCase)
               || cell.Equals("n/a", StringComparison.OrdinalIgnoreCase)
               || cell.Equals("null", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A number, whether or not float32 can hold it (1e300 is a number too far, not text): what decides a header and the default column.</summary>
    internal static bool IsNumber(ReadOnlySpan<char> cell) =>
        double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && !double.IsNaN(x);

    /// <summary>The value of a cell that is a number float32 holds; else false and, for a number it cannot hold, why.</summary>
    internal static bool TryValue(ReadOnlySpan<char> cell, out float value, out string? range)
    {
        // Parsed as float32 directly, as always: through a double, a rare value would be rounded twice.
        range = null;
        if (!float.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out value) || float.IsNaN(value))
        {
            return false;
        }

        if (float.IsInfinity(value))
        {
            range = "beyond float32's range (±3.4e38)";
            return false;
        }

        // 1e-300 (and 1e-400, which is 0 even as a double) is no zero: a nonzero digit that float32 rounds away is refused, not trained on as 0.
        if (value == 0 && NonzeroDigit(cell))
        {
            range = "too small for float32, whose smallest nonzero value is 1.4e-45 (it would become 0)";
            return false;
        }

        return true;
    }

    /// <summary>Whether the digits before any exponent include one that is not 0.</summary>
    private static bool NonzeroDigit(ReadOnlySpan<char> cell)
    {
        var exponent = cell.IndexOfAny('e', 'E');
        return (exponent < 0 ? cell : cell[..exponent]).IndexOfAnyInRange('1', '9') >= 0;
    }

    /// <summary>The values in one array, the missing ones as NaN until filled; the time column goes to its own builder.</summary>
    /// <summary>
    /// The file as the parser reads it, its lines bounded as they pass: a line longer than <see cref="MaxLineBytes"/>
    /// or more lines than a series may have is refused before the parser holds it, so the file is read once.
    /// </summary>
    internal sealed class LineBoundedStream(Stream inner, string source) : Stream
    {
        private long lines;
        private long run; // bytes since the last '\n'

        public override int Read(Span<byte> buffer)
        {
            var read = inner.Read(buffer);
            var block = buffer[..read];
            var first = block.IndexOf((byte)'\n');
            if (run + (first < 0 ? read : first) > MaxLineBytes)
            {
                throw new SeriesDataException($"{source} line {lines + 1:N0} is longer than {Inference.InputFileCheck.Size(MaxLineBytes)}, the longest line read");
            }

            lines += block.Count((byte)'\n');
            run = first < 0 ? run + read : read - block.LastIndexOf((byte)'\n') - 1;
            if (lines > MaxValues + 1)
            {
                throw new SeriesDataException($"{source} has more than {MaxValues + 1:N0} lines; a series may have at most {MaxValues:N0} values");
            }

            return read;
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    internal sealed class Builder(SeriesSettings settings, string source, string name, bool defaultColumn, int capacity, TimeAxisBuilder? time)
    {
        private float[] values = GC.AllocateUninitializedArray<float>(capacity);
        private int count;
        private int missing;

        public void Add(ReadOnlySpan<char> cell, ReadOnlySpan<char> timeCell, int line)
        {
            float value;
            if (IsMissing(cell))
            {
                if (settings.Fill == FillMethod.None)
                {
                    var what = cell.Trim().IsEmpty ? "an empty cell" : $"'{Excerpt.Of(cell.Trim())}'";
                    throw new SeriesDataException($"{source} line {line}: {Excerpt.Of(name)} is missing ({what}); give {settings.Labels.Fill} linear to interpolate missing values");
                }

                value = float.NaN;
                missing++;
            }
            else if (!TryValue(cell, out value, out var range))
            {
                throw new SeriesDataException(range is not null
                    ? $"{source} line {line}: {Excerpt.Of(name)} holds {Excerpt.Of(cell.Trim())}, {range}; rescale the column (values are trained on as float32)"
                    : $"{source} line {line}: {Excerpt.Of(name)} holds '{Excerpt.Of(cell)}', not a number " +
                      "(numbers are read with '.' as the decimal point, e.g. 12.5 or 1e3)" + (IsCommaNumber(cell.ToString()) ? "; save the file with '.' decimals and no separators" : IsDecoratedNumber(cell.ToString()) ? "; save the column as plain numbers, without units or spaces" : defaultColumn ? $"; name the column to read with {settings.Labels.Column}" : ""));
            }

            if (count == values.Length)
            {
                // More rows than line ends: only CR line ends do that. Grow as a list would.
                if (count == Array.MaxLength)
                {
                    throw new SeriesDataException($"{source} has more values than one series can hold ({Array.MaxLength})");
                }

                Array.Resize(ref values, (int)Math.Min(Array.MaxLength, Math.Max(16, values.Length * 3L / 2)));
            }

            values[count] = value;
            time?.Add(timeCell.Trim(), line);
            count++;
        }

        /// <summary>The values read, missing ones still NaN, and how many are missing.</summary>
        public float[] Finish(out int missingValues)
        {
            if (count != values.Length)
            {
                Array.Resize(ref values, count); // blank lines: fewer values than lines
            }

            missingValues = missing;
            return values;
        }
    }

    /// <summary>
    /// Fills NaN in place: linearly between the nearest known values on either side; a gap at the start
    /// or the end takes the nearest known value. False when nothing is known.
    /// </summary>
    internal static bool FillLinear(Span<float> values)
    {
        var previous = -1;
        for (var i = 0; i < values.Length; i++)
        {
            if (float.IsNaN(values[i]))
            {
                continue;
            }

            if (i - previous > 1)
            {
                for (var j = previous + 1; j < i; j++)
                {
                    values[j] = previous < 0
                        ? values[i]
                        : (float)(values[previous] + ((values[i] - (double)values[previous]) * (j - previous) / (i - previous)));
                }
            }

            previous = i;
        }

        if (previous < 0)
        {
            return false;
        }

        values[(previous + 1)..].Fill(values[previous]);
        return true;
    }
}
