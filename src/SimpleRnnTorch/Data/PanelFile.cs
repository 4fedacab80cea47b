using System.Runtime.InteropServices;
using SimpleRnnTorch.Common;
using nietras.SeparatedValues;

namespace SimpleRnnTorch.Data;

/// <summary>
/// Reads the series of a panel file (<see cref="PanelSettings"/>) in one pass, with <see cref="SeriesFile"/>'s rules for
/// every series: its header test, separators, numbers, missing values and <see cref="TimeAxisBuilder"/> (order, repeats,
/// gaps, --fill). Long files may interleave their series; each series keeps its rows' order. Series may start and end at
/// different times: blank cells before a series' first value and after its last are not missing values (a wide file's
/// ragged columns), those between are. Every series must have the same step (one line naming two that differ), and the
/// values of all series together are bounded as one series' are (<see cref="SeriesFile.MaxValues"/>), the series by
/// <see cref="PanelSettings.MaxSeries"/>.
/// </summary>
internal static class PanelFile
{
    /// <summary>The series of a file, in the order their first value appears (long) or their columns (wide).</summary>
    /// <param name="Ids">What tells the series apart: the id columns, or "series" for a wide file.</param>
    internal sealed record Panel(string Source, PanelIds Ids, IReadOnlyList<Series> Series, char Separator, bool HasHeader)
    {
        /// <summary>How the series are told apart, in words: "by store", "by store and product", or "one per column" for a wide file.</summary>
        public string By => Ids.OnePerColumn ? "one per column" : $"by {string.Join(" and ", Ids.Names)}";
    }

    /// <summary>
    /// The panel <paramref name="settings"/> name. The command line reads it for the resource budget before the run prepares
    /// it: the second ask of an unchanged file (same settings, size and time written) is answered from the first, as
    /// <see cref="SeriesFile.Read"/> does, so the file is read once.
    /// </summary>
    public static Panel Read(PanelSettings settings) => Last.Get(settings);

    /// <summary>As <see cref="Read(PanelSettings)"/>, with how long the file's reading took (the first read's, when this one is answered from it).</summary>
    public static Panel Read(PanelSettings settings, out TimeSpan took) => Last.Get(settings, out took);

    private static readonly LastRead<PanelSettings, Panel> Last = new(ReadFile, settings => settings.File);

    private static Panel ReadFile(PanelSettings settings) =>
        SeriesFile.Open(settings.File, settings.Labels, (reader, source, _) => Parse(reader, settings, source));

    private static Panel Parse(SepReader reader, PanelSettings settings, string source)
    {
        var labels = settings.Labels;
        if (SeriesFile.NextRow(reader) is not { } first)
        {
            throw new SeriesDataException($"{source} is empty (no rows)");
        }

        List<SeriesFile.BufferedRow> below = [];
        while (below.Count < SeriesFile.HeaderLookahead && SeriesFile.NextRow(reader) is { } row)
        {
            below.Add(row);
        }

        var hasHeader = SeriesFile.IsHeader(first.Cells, below.Select(r => r.Cells).ToList());
        var header = hasHeader ? first.Cells : null;
        var columns = first.Cells.Length;
        List<SeriesFile.BufferedRow> rows = hasHeader ? below : [first, .. below];
        if (rows.Count == 0)
        {
            throw new SeriesDataException($"{source} has a header and no values");
        }

        string NameOf(int index) => header is not null && header[index].Length > 0 ? header[index] : $"column {index}";
        var timeIndex = settings.TimeColumn is { } time ? SeriesFile.Resolve(time, labels.TimeColumn, header, columns, source, first.Cells) : -1;
        var timeName = timeIndex < 0 ? null : NameOf(timeIndex);
        var reading = new Reading(settings, source, timeName)
        {
            // Rows of two series under one id read as one series whose times repeat or go back.
            OrderHint = settings.Layout is PanelLayout.Long { IdColumns: var given }
                ? $" (or, if {Excerpt.Of(string.Join(",", given))} does not tell the series apart, give {labels.IdColumn} every column that does: A,B)" : "",
        };

        switch (settings.Layout)
        {
            case PanelLayout.Long layout:
            {
                int[] idIndices = [.. layout.IdColumns.Select(c => SeriesFile.Resolve(c, labels.IdColumn, header, columns, source, first.Cells))];
                if (idIndices.Contains(timeIndex))
                {
                    throw new SeriesDataException($"{labels.IdColumn} and {labels.TimeColumn} both name column {NameOf(timeIndex)} of {source}");
                }

                if (idIndices.GroupBy(i => i).FirstOrDefault(g => g.Count() > 1) is { } repeated)
                {
                    throw new SeriesDataException($"{labels.IdColumn} names column {NameOf(repeated.Key)} of {source} twice");
                }

                var idIndex = idIndices[0];
                var composite = idIndices.Length > 1;
                var idName = string.Join(" and ", idIndices.Select(NameOf));

                // As a single series' default: a number written with a comma right of the column read (or with none read) is named.
                var defaultIndex = layout.ValueColumn is null ? LastNumeric(rows, columns, [timeIndex, .. idIndices]) : null;
                if (layout.ValueColumn is null && rows.Count > 0
                    && SeriesFile.CommaProblem(rows[0], Enumerable.Range((defaultIndex ?? -1) + 1, columns - (defaultIndex ?? -1) - 1).Where(c => c != timeIndex && !idIndices.Contains(c)), source, decimalOnly: defaultIndex is not null) is { } comma)
                {
                    throw new SeriesDataException(comma);
                }

                var valueIndex = layout.ValueColumn is { } column
                    ? SeriesFile.Resolve(column, labels.Column, header, columns, source, first.Cells)
                    : defaultIndex ?? throw new SeriesDataException($"{source} has no numeric column besides {labels.IdColumn}{(timeIndex >= 0 ? $" and {labels.TimeColumn}" : "")}; name one with {labels.Column}");
                if (idIndices.Contains(valueIndex) || valueIndex == timeIndex)
                {
                    throw new SeriesDataException($"{labels.Column} names column {NameOf(valueIndex)} of {source}, which is {(valueIndex == timeIndex ? labels.TimeColumn : labels.IdColumn)}");
                }

                var tracks = new Dictionary<string, Track>(StringComparer.Ordinal);
                var lookup = tracks.GetAlternateLookup<ReadOnlySpan<char>>();
                Dictionary<string, string[]>? parts = composite ? new(StringComparer.Ordinal) : null;
                var needed = Math.Max(Math.Max(idIndices.Max(), valueIndex), timeIndex) + 1;

                // ids: with several id columns, the row's trimmed id cells; the series is named by them joined ("1/7").
                var ids = new string[idIndices.Length];
                void Add(ReadOnlySpan<char> id, ReadOnlySpan<char> value, ReadOnlySpan<char> timeCell, int line)
                {
                    id = composite ? string.Join(PanelLayout.IdJoin, ids) : id.Trim();
                    if (!lookup.TryGetValue(id, out var track))
                    {
                        if (tracks.Count == PanelSettings.MaxSeries)
                        {
                            throw new SeriesDataException($"{source} line {line}: more than {PanelSettings.MaxSeries:N0} distinct values of {idName}; a panel may hold at most {PanelSettings.MaxSeries:N0} series");
                        }

                        // A row without an id belongs to no series: refused rather than gathered under a made-up name.
                        var empty = composite ? Array.FindIndex(ids, p => p.Length == 0) : id.Length == 0 ? 0 : -1;
                        if (empty >= 0)
                        {
                            throw new SeriesDataException($"{source} line {line}: {NameOf(idIndices[empty])} is empty; every row needs the id of its series (give it one, or remove the row)");
                        }

                        var key = id.ToString();
                        track = reading.Track(key, $"{source} ({idName} '{Excerpt.Of(key)}')", column: NameOf(valueIndex));
                        tracks.Add(key, track);
                        parts?.Add(key, [.. ids]);
                    }
                    else if (composite && id.Count(PanelLayout.IdJoin) >= ids.Length && !parts![track.Name].AsSpan().SequenceEqual(ids))
                    {
                        // ("a/b", "c") and ("a", "b/c") both join to a/b/c: refused rather than read as one series. n ids joined hold
                        // n - 1 joins, so two different rows can share a name only where it holds more: only then are the ids compared.
                        throw new SeriesDataException($"{source} line {line}: {idName} '{Excerpt.Of(string.Join("', '", ids))}' and '{Excerpt.Of(string.Join("', '", parts[track.Name]))}' " +
                                                      $"both make the series name '{Excerpt.Of(track.Name)}'; replace the '{PanelLayout.IdJoin}' in the ids, which joins them");
                    }

                    track.Add(value, timeCell, line);
                }

                foreach (var row in rows)
                {
                    SeriesFile.Check(row.Cells.Length, row.Line, needed, source);
                    for (var k = 0; composite && k < ids.Length; k++)
                    {
                        ids[k] = row.Cells[idIndices[k]].Trim();
                    }

                    Add(row.Cells[idIndex], row.Cells[valueIndex], timeIndex < 0 ? default : row.Cells[timeIndex], row.Line);
                }

                while (reader.MoveNext())
                {
                    var row = reader.Current;
                    if (SeriesFile.IsBlank(row))
                    {
                        continue;
                    }

                    SeriesFile.Check(row.ColCount, row.LineNumberFrom, needed, source);
                    for (var k = 0; composite && k < ids.Length; k++)
                    {
                        ids[k] = row[idIndices[k]].Span.Trim().ToString();
                    }

                    Add(row[idIndex].Span, row[valueIndex].Span, timeIndex < 0 ? default : row[timeIndex].Span, row.LineNumberFrom);
                }

                return new Panel(settings.File, new PanelIds([.. idIndices.Select(NameOf)], parts), Finish(tracks.Values, reading, source, labels), reader.Spec.Sep.Separator, hasHeader);
            }

            case PanelLayout.Wide layout:
            {
                int[] indices = layout.Columns is { } named
                    ? [.. named.Select(c => SeriesFile.Resolve(c, labels.Column, header, columns, source, first.Cells))]
                    : [.. Enumerable.Range(0, columns).Where(c => c != timeIndex && IsNumeric(rows, c))];
                if (indices.Length == 0)
                {
                    // `all` reads the numeric columns; with none, a number written with a comma is the likely cause.
                    throw new SeriesDataException((rows.Count > 0 ? SeriesFile.CommaProblem(rows[0], Enumerable.Range(0, columns).Where(c => c != timeIndex), source) : null)
                                                  ?? (timeIndex >= 0 ? $"{source} has no numeric column besides {labels.TimeColumn}" : $"{source} has no numeric column"));
                }

                if (indices.Contains(timeIndex))
                {
                    throw new SeriesDataException($"{labels.Column} and {labels.TimeColumn} both name column {NameOf(timeIndex)} of {source}");
                }

                if (indices.Distinct().Count() < indices.Length)
                {
                    var twice = indices.GroupBy(i => i).First(g => g.Count() > 1).Key;
                    throw new SeriesDataException($"{labels.Column} names column {NameOf(twice)} of {source} twice");
                }

                if (indices.Length > PanelSettings.MaxSeries)
                {
                    throw new SeriesDataException($"{source} has {indices.Length:N0} columns to read; a panel may hold at most {PanelSettings.MaxSeries:N0} series");
                }

                // With `all`, a column with no value in the rows read ahead is decided by its first value further down: a
                // number makes it a series (a ragged column), text leaves it out (a notes column filled in later).
                var tracks = indices.Select(i => reading.Track(NameOf(i), $"{source} ({NameOf(i)})", undecided: layout.Columns is null && !HasValue(rows, i))).ToArray();
                var needed = Math.Max(indices.Max(), timeIndex) + 1;

                // The columns share one time column: it must rise over every row, also where the series that have values
                // change (one column's rows ending at 40, the next's starting again at 10); each series sees only its own.
                var shared = timeName is null ? null : new TimeAxisBuilder(timeName, source);
                foreach (var row in rows)
                {
                    SeriesFile.Check(row.Cells.Length, row.Line, needed, source);
                    shared?.Add(row.Cells[timeIndex].AsSpan().Trim(), row.Line);
                    for (var k = 0; k < indices.Length; k++)
                    {
                        tracks[k].Add(row.Cells[indices[k]], timeIndex < 0 ? default : row.Cells[timeIndex], row.Line);
                    }
                }

                while (reader.MoveNext())
                {
                    var row = reader.Current;
                    if (SeriesFile.IsBlank(row))
                    {
                        continue;
                    }

                    SeriesFile.Check(row.ColCount, row.LineNumberFrom, needed, source);
                    shared?.Add(row[timeIndex].Span.Trim(), row.LineNumberFrom);
                    for (var k = 0; k < indices.Length; k++)
                    {
                        tracks[k].Add(row[indices[k]].Span, timeIndex < 0 ? default : row[timeIndex].Span, row.LineNumberFrom);
                    }
                }

                return new Panel(settings.File, PanelIds.Wide, Finish(tracks.Where(t => !t.Skipped), reading, source, labels), reader.Spec.Sep.Separator, hasHeader);
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(settings), settings.Layout, null);
        }
    }

    /// <summary>
    /// Whether a column (the buffered rows) may be a series: its first cell that is not missing is a number, or it has none
    /// yet (a ragged column that starts later; a text cell further down is then refused, naming its line). What `--column
    /// all` reads.
    /// </summary>
    private static bool IsNumeric(List<SeriesFile.BufferedRow> rows, int column) =>
        rows.Select(r => column < r.Cells.Length ? r.Cells[column] : "").FirstOrDefault(c => !SeriesFile.IsMissing(c)) is not { } cell || SeriesFile.IsNumber(cell);

    private static bool HasValue(List<SeriesFile.BufferedRow> rows, int column) =>
        rows.Any(r => column < r.Cells.Length && !SeriesFile.IsMissing(r.Cells[column]));

    private static int? LastNumeric(List<SeriesFile.BufferedRow> rows, int columns, int[] except)
    {
        for (var c = columns - 1; c >= 0; c--)
        {
            if (!except.Contains(c) && IsNumeric(rows, c))
            {
                return c;
            }
        }

        return null;
    }

    /// <summary>Each track's series, in order; the steps of those with three values or more must agree (two values cannot tell a step from a gap: <see cref="StepProblem"/>).</summary>
    private static List<Series> Finish(IEnumerable<Track> tracks, Reading reading, string source, SeriesLabels labels)
    {
        var series = tracks.Select(t => t.Finish()).ToList();
        if (series.All(s => s.Length == 0))
        {
            throw new SeriesDataException($"{source} has no values in the columns read");
        }

        // Two series of one name could not be told apart in forecast.csv (a wide file's repeated header, a blank header beside "column 2").
        if (series.GroupBy(s => s.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new SeriesDataException($"{source} has two series named '{Excerpt.Of(twice.Key)}'; rename one (each series' name is its id in forecast.csv)");
        }

        series = AsBusinessDays(series);
        var stepped = series.Where(s => s.Length >= 3 && s.Time is not null).ToList();
        if (stepped.Count > 1)
        {
            // Labels are one kind, whatever made each series labels (its own first cell may be in the reason).
            static string Kind(TimeAxis axis) => axis is TimeAxis.Labelled ? "labelled" : Step(axis);
            var firstStep = Step(stepped[0].Time!);
            if (stepped.FirstOrDefault(s => Kind(s.Time!) != Kind(stepped[0].Time!)) is { } other)
            {
                throw new SeriesDataException($"{source}: {Excerpt.Of(stepped[0].Name)} is {firstStep}, {Excerpt.Of(other.Name)} {Step(other.Time!)}; the series of one file must share one step");
            }
        }

        return series;
    }

    /// <summary>
    /// Why a series of two values, forecast beside the others, is not on their step, or null. Two values a quarter apart in a
    /// monthly file are a gap, not a quarterly series: taken as one, its forecast was labelled a quarter a step. Asked only of
    /// a series the run forecasts (a window of 2 or less); one left out cannot mislabel anything, and is not refused.
    /// </summary>
    public static string? StepProblem(Series two, Series stepped, string source) =>
        two.Length == 2 && two.Time is { } axis && stepped.Time is { } theirs && Step(axis) != Step(theirs)
            ? $"{source}: {Excerpt.Of(stepped.Name)} is {Step(theirs)}, {Excerpt.Of(two.Name)} {Step(axis)} (its only two values, at {Excerpt.Of(two.Label(0) ?? "?")} and " +
              $"{Excerpt.Of(two.Label(1) ?? "?")}); the series of one file must share one step"
            : null;

    /// <summary>
    /// Where some series are on business days (weekdays only, weekends skipped: labels), a daily series with no weekend
    /// date is on business days too, one that had no weekend to skip yet (a stock listed this week: Monday to Friday).
    /// It becomes labels as they are, rather than a "daily" that would refuse the file as mixed steps.
    /// </summary>
    private static List<Series> AsBusinessDays(List<Series> series)
    {
        if (!series.Any(s => s.Time is TimeAxis.Labelled { Why: TimeAxisBuilder.BusinessDays }))
        {
            return series;
        }

        return [.. series.Select(s => s.Time is TimeAxis.Dated { Frequency: TimeFrequency.Daily, Times: null } daily && s.Length > 0 && Weekdays(daily, s.Length)
            ? s with { Time = new TimeAxis.Labelled(daily.Name, daily.Label(0, s.Length)!, daily.Label(s.Length - 1, s.Length)!, TimeAxisBuilder.BusinessDays) }
            : s)];
    }

    private static bool Weekdays(TimeAxis.Dated axis, long length)
    {
        for (var i = 0L; i < length; i++)
        {
            if (axis.Date(i) is not { DayOfWeek: not (DayOfWeek.Saturday or DayOfWeek.Sunday) })
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A time axis's step in words, for the mixed-steps check: "monthly", "on a step of 01:00:00", "labels".</summary>
    private static string Step(TimeAxis axis) => axis switch
    {
        TimeAxis.Dated d => d.Describe(),
        TimeAxis.Clocked c => c.Describe(),
        TimeAxis.Numbered n => $"numbered on a step of {n.Step}",
        TimeAxis.Labelled { Why: { } why } => $"labelled ({why})",
        _ => "labelled (not on a regular step)",
    };

    /// <summary>What every track of one file shares: the settings, and the count of values read, bounded for the whole file.</summary>
    private sealed class Reading(PanelSettings settings, string source, string? timeName)
    {
        private long values;

        public PanelSettings Settings => settings;

        public string? TimeName => timeName;

        /// <summary>What a time that repeats or goes back within a series may mean (<see cref="TimeAxisBuilder.OrderHint"/>).</summary>
        public string OrderHint { get; init; } = "";

        /// <param name="column">The column its values are read from, as messages name it (a long file's value column; by default the series' name, a wide file's column).</param>
        public Track Track(string name, string where, bool undecided = false, string? column = null) => new(this, name, where, column ?? name) { Undecided = undecided };

        public void Count(int line)
        {
            if (++values > SeriesFile.MaxValues)
            {
                throw new SeriesDataException($"{source} line {line}: more than {SeriesFile.MaxValues:N0} values in all; a panel may hold at most {SeriesFile.MaxValues:N0}");
            }
        }
    }

    /// <summary>One series being read: its values and time cells, with the missing cells after its last value held back until a value follows them.</summary>
    private sealed class Track(Reading reading, string name, string where, string column)
    {
        public string Name => name;

        private readonly TimeAxisBuilder? time = reading.TimeName is { } t ? new TimeAxisBuilder(t, where) { OrderHint = reading.OrderHint } : null;
        private SeriesFile.Builder? builder;
        private readonly List<(string Cell, string Time, int Line)> pending = [];
        private int count;

        /// <summary>Whether its first value decides if it is a series at all (<c>--column all</c>'s column with none read ahead).</summary>
        public bool Undecided { get; set; }

        /// <summary>Whether it was left out: an undecided column whose first value is text.</summary>
        public bool Skipped { get; private set; }

        public void Add(ReadOnlySpan<char> cell, ReadOnlySpan<char> timeCell, int line)
        {
            if (Skipped)
            {
                return;
            }

            if (Undecided && !SeriesFile.IsMissing(cell))
            {
                (Undecided, Skipped) = (false, !SeriesFile.IsNumber(cell));
                if (Skipped)
                {
                    pending.Clear();
                    return;
                }
            }

            if (SeriesFile.IsMissing(cell))
            {
                if (count > 0)
                {
                    pending.Add((cell.Trim().ToString(), timeCell.Trim().ToString(), line));
                }

                return;
            }

            foreach (var (missingCell, missingTime, missingLine) in CollectionsMarshal.AsSpan(pending))
            {
                Append(missingCell, missingTime, missingLine);
            }

            pending.Clear();
            Append(cell, timeCell.Trim(), line);
        }

        private void Append(ReadOnlySpan<char> cell, ReadOnlySpan<char> timeCell, int line)
        {
            reading.Count(line);
            builder ??= new SeriesFile.Builder(reading.Settings.ForOne, where, column, defaultColumn: false, 16, time);
            builder.Add(cell, timeCell, line);
            count++;
        }

        /// <summary>The series, filled as a single series is; one of no values when it has none (left out as too short, by name).</summary>
        public Series Finish()
        {
            if (count == 0)
            {
                return new Series(reading.Settings.File, name, [], null, 0, ',', true);
            }

            var (values, missing, axis, inserted) = SeriesFile.Complete(builder!, time, reading.Settings.ForOne, where);
            if (missing > 0 || inserted > 0)
            {
                SeriesFile.FillLinear(values);
            }

            return new Series(reading.Settings.File, name, values, axis, missing, ',', true, inserted);
        }
    }
}
