using System.Globalization;
using SimpleRnnTorch.Common;

namespace SimpleRnnTorch.Data;

/// <summary>
/// Decides a time column's <see cref="TimeAxis"/> from its cells, streamed one per value, in memory that
/// does not grow with the series: the first and last label, whether the labels are numbers on a fixed
/// step, and for dates the differences of consecutive dates, run-length encoded (a regular column is one
/// run; each gap adds two).
/// <para>
/// Dates: the first cell fixes the format (<see cref="DateText.Detect"/>); every later cell must be a date in
/// it, later than the one before (a duplicate or an earlier date is a <see cref="SeriesDataException"/>
/// naming both lines). The step is the smallest difference: in months when every date is on the same day of
/// its month or every date is a month's last day (1, 3 or 12 months: monthly, quarterly, yearly), else in
/// days (1 or 7: daily, weekly). Larger differences that are multiples of the step are gaps
/// (<see cref="TimeGaps"/>). Business days (no weekend date, yet weekends skipped), other steps and
/// differences that are not multiples of the step are not a calendar step: the column is then labels, as
/// is a column where a later cell is not a date.
/// </para>
/// <para>
/// Date-times (<see cref="DateText.TryParseDateTime"/>: "2020-01-01 00:00", "2020-01-01T08:00:00.000Z") whose
/// times of day are all the first one's are dates, read as above and labelled with that time. A daylight-saving
/// hour is the same time of day: 07:00Z in summer beside 08:00Z in winter, or 00:00+02:00 beside 00:00+01:00,
/// one such shift in a column (23:00Z the evening before is the next day at 00:00 local time). Any other time
/// of day is a sub-daily step (<see cref="ClockTrack"/>): date-times on a step shorter than a day that divides it
/// (hours, 30 or 15 minutes, minutes, whole seconds) are read as <see cref="TimeAxis.Clocked"/>, the steps measured
/// between instants (each row's offset taken off), larger differences that are multiples of the step being gaps.
/// </para>
/// <para>
/// Numbers (`1`, `2`, `3`; `2001.25`) are times too: while every cell is a number, each must be above the one before
/// (a repeated number is a time twice, a lower one rows out of order: both refused naming both lines, as a date would
/// be, in a panel a duplicate (id, time) pair); numbers on a fixed step are <see cref="TimeAxis.Numbered"/>, rising ones
/// off the step labels.
/// </para>
/// </summary>
internal sealed class TimeAxisBuilder(string name, string source)
{
    /// <summary>
    /// Said after a time that repeats or goes back (a long panel's: its id columns may not tell the series apart), or "".
    /// </summary>
    public string OrderHint { get; init; } = "";

    /// <summary>Why dates on weekdays only, with weekends skipped, are labels: no calendar step holds them.</summary>
    public const string BusinessDays = "business days (weekdays only), not a calendar step";

    /// <summary>Runs kept per unit before a column counts as irregular: 4096 runs are about 2000 gaps.</summary>
    internal const int MaxRuns = 4096;

    private int count;
    private string first = "";
    private int firstLine;
    private char[] last = new char[64];
    private int lastLength;

    private bool regular = true;

    /// <summary>A rising column of whole numbers (ids of periods: 1, 2, 3 …): its differences, for a step with gaps (29 then 31).</summary>
    private readonly StepRuns numbers = new();
    private bool whole = true;
    private double start;
    private double step;
    private bool rising = true;
    private double previousNumber;
    private int previousNumberLine;

    private DateFormat? format;

    /// <summary>The case of the letters in the first cell (1959q1): the labels' (<see cref="TimeAxis.Dated.Letters"/>).</summary>
    private LetterCase letters;

    /// <summary>Whether a cell of a <see cref="DateFormat.LetterMonth"/> column had a leading zero (1959M01): it cannot then be months without one.</summary>
    private bool leadingZero;
    private bool dated;
    private string? why;
    private DateOnly firstDate;
    private DateTimeText? firstTime;
    private long? shift;
    private long previousSignature;
    private readonly (string Suffix, int Days)[] suffixes = new (string, int)[12];
    /// <summary>The last date-time cell's time of day as written (its suffix, and the days its date moved by): the time in force where the column ends.</summary>
    private (string Suffix, int Days) lastTime;
    private readonly List<(DateOnly Date, (string Suffix, int Days) Time)> switches = [];
    private readonly List<(DateOnly Before, DateOnly After)> gapsSeen = [];
    private bool tooManyGaps;
    private readonly bool[] monthsSeen = new bool[12];
    private DateOnly previous;
    private int previousLine;
    private bool sameDay = true;
    private bool monthEnds = true;
    private bool weekend;
    private readonly StepRuns days = new();
    private readonly StepRuns months = new();
    private ClockTrack? clock;

    public void Add(ReadOnlySpan<char> label, int line)
    {
        if (count == 0)
        {
            first = label.ToString();
            firstLine = line;
        }

        if (label.Length > last.Length)
        {
            last = new char[label.Length * 2];
        }

        label.CopyTo(last);
        lastLength = label.Length;
        AddNumber(label, line);
        AddDate(label, line);
        AddClock(label, line);
        count++;
    }

    /// <summary>The axis, and the missing positions of a dated one (null when there are none).</summary>
    public TimeAxis Build(out TimeGaps? gaps)
    {
        gaps = null;
        if (dated && count > 1)
        {
            if (Infer(out var frequency, out var runs, out var reason) is { } stepSize)
            {
                var axis = new TimeAxis.Dated(name, frequency, firstDate, format!.Value, MonthEnds: !sameDay && monthEnds,
                    Times: firstTime is null ? null : Times(frequency)) { Letters = letters };
                var found = new TimeGaps(runs!, stepSize);
                gaps = found.Missing > 0 ? found : null;
                return axis;
            }

            why = reason;
        }

        if (clock is { SubDaily: true } && count > 1)
        {
            if (clock.Infer(out var step, out var reason) is { } runs)
            {
                var axis = new TimeAxis.Clocked(name, clock.FirstWallClock, step, clock.Format, (first, new string(last, 0, lastLength)));
                var found = new TimeGaps(runs, step.Ticks);
                gaps = found.Missing > 0 ? found : null;
                return axis;
            }

            why = reason;
        }

        if (regular && count > 1)
        {
            return new TimeAxis.Numbered(name, start, step, Decimals(first));
        }

        // Whole numbers on one step but for some missing (1 … 29, 31 … 61): gaps, as dates have, refused or filled. Sparse
        // ones (ids 3, 17, 42: more missing than there are values) are no step with gaps: labels, as before.
        if (rising && whole && count > 1 && !dated && !numbers.Overflowed && numbers.Runs.Count > 0)
        {
            var smallest = numbers.Runs.Min(r => r.Difference);
            if (numbers.Runs.All(r => r.Difference % smallest == 0))
            {
                var found = new TimeGaps(numbers, smallest);
                if (found.Missing <= (long)count * SeriesFile.MaxInsertedPerValue)
                {
                    gaps = found;
                    return new TimeAxis.Numbered(name, start, smallest);
                }

                why ??= $"whole numbers with more missing than given: {found.Missing:N0} steps of {smallest} missing among {count:N0} values";
                return new TimeAxis.Labelled(name, first, new string(last, 0, lastLength), why);
            }

            var off = numbers.Runs.First(r => r.Difference % smallest != 0);
            why ??= $"whole numbers off one step: line {off.Line} is {off.Difference} after line {off.PreviousLine}, where the smallest step is {smallest}";
        }

        return new TimeAxis.Labelled(name, first, new string(last, 0, lastLength), why);
    }

    private long? Infer(out TimeFrequency frequency, out StepRuns? runs, out string? reason)
    {
        frequency = default;
        reason = "irregular dates, not on a daily, weekly, monthly, quarterly or yearly step";
        var byMonth = (sameDay || monthEnds) && !months.Overflowed;
        runs = byMonth ? months : days.Overflowed ? null : days;
        if (runs is null)
        {
            return null;
        }

        var smallest = runs.Runs.Min(r => r.Difference);
        if (runs.Runs.Any(r => r.Difference % smallest != 0))
        {
            return null;
        }

        if (byMonth)
        {
            frequency = smallest switch { 1 => TimeFrequency.Monthly, 3 => TimeFrequency.Quarterly, 12 => TimeFrequency.Yearly, _ => default };
            return smallest is 1 or 3 or 12 ? smallest : null;
        }

        if (smallest == 1 && !weekend && runs.Runs.Any(r => r.Difference > 1))
        {
            reason = BusinessDays;
            return null;
        }

        frequency = smallest == 7 ? TimeFrequency.Weekly : TimeFrequency.Daily;
        return smallest is 1 or 7 ? smallest : null;
    }

    private void AddNumber(ReadOnlySpan<char> label, int line)
    {
        if (!regular && !rising)
        {
            return;
        }

        if (!double.TryParse(label, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) || !double.IsFinite(x))
        {
            (regular, rising) = (false, false);
            return;
        }

        // A date column (years are numbers too) has its own order check, in its own words.
        if (count > 0 && rising && !dated && x <= previousNumber)
        {
            throw new SeriesDataException(x == previousNumber
                ? $"{source} lines {previousNumberLine} and {line}: {name} {Excerpt.Of(label)} appears twice; each time may appear once, in order{OrderHint}"
                : $"{source} line {line}: {name} {Excerpt.Of(label)} comes after {previousNumber.ToString("R", CultureInfo.InvariantCulture)} on line {previousNumberLine}; the rows must be in time order{OrderHint}");
        }

        rising &= count == 0 || x > previousNumber;
        whole &= x == Math.Round(x) && Math.Abs(x) < (1L << 53);
        if (count > 0 && rising && whole)
        {
            numbers.Add(count, (long)(x - previousNumber), line, previousNumberLine);
        }

        (previousNumber, previousNumberLine) = (x, line);
        if (!regular)
        {
            return;
        }

        if (count == 0)
        {
            start = x;
        }
        else if (count == 1)
        {
            step = x - start;
            regular = step != 0;
        }
        else
        {
            regular = Math.Abs(x - (start + (count * step))) <= 1e-6 * Math.Max(1, Math.Abs(step));
        }
    }

    /// <summary>
    /// Why a first cell that looks like a date is not read as one, or null (it does not look like one): day and month in a
    /// local order (1/31/2020, 31/01/2020; one cell cannot always tell them apart, 01/02/2020), or a year-first or dotted
    /// date with a one-digit month or day or a day that does not exist (1958-3-29, 2015-02-30). The column stays labels,
    /// and the reading says why.
    /// </summary>
    internal static string? WhyNotADate(ReadOnlySpan<char> label)
    {
        var parts = label.Trim().ToString().Split('/', '-', '.');
        if (parts.Length is < 2 or > 3 || !parts.All(p => p.Length > 0 && p.All(char.IsAsciiDigit)))
        {
            return null;
        }

        if (parts.Length == 3 && parts[0].Length is 1 or 2 && parts[1].Length is 1 or 2 && parts[2].Length == 4 && !label.Contains('.'))
        {
            return $"'{Excerpt.Of(label)}' has its day and month in a local order (month first in the US, day first elsewhere), which is not read: write dates year first, as 2020-01-31 or 2020/01/31, or as 31.01.2020";
        }

        // Year first, or dotted day first, but not a date as read: a one-digit month or day, or no such day (1958-3-29, 2015-02-30).
        // 1900.5 is a number and 1950-51 a fiscal year, not almost-dates: a year-first one has a month of 1 to 12 after the year.
        var yearFirst = parts[0].Length == 4 && !label.Contains('.') && (parts.Length == 3 || (parts[1].Length <= 2 && int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) is >= 1 and <= 12));
        var dottedDayFirst = parts.Length == 3 && parts[2].Length == 4 && label.Contains('.');
        return (yearFirst || dottedDayFirst) && parts.Skip(yearFirst ? 1 : 0).Take(2).All(p => p.Length is 1 or 2)
            ? $"'{Excerpt.Of(label)}' is not a date as read (months and days of two digits, on a day that exists: 1958-03-29, 1958/03, 29.03.1958)"
            : null;
    }

    /// <summary>
    /// A cell after the first in the column's format. 1959M10, 1959M11 and 1959M12 are months with two digits or without
    /// a leading zero: a column that starts so and goes on with 1960M1 is the second.
    /// </summary>
    private bool LaterDate(ReadOnlySpan<char> label, out DateOnly date)
    {
        if (DateText.TryParse(label, format!.Value, out date))
        {
            leadingZero |= format == DateFormat.LetterMonth && date.Month < 10;
            return true;
        }

        if (format == DateFormat.LetterMonth && !leadingZero && DateText.TryParse(label, DateFormat.ShortLetterMonth, out date))
        {
            format = DateFormat.ShortLetterMonth;
            return true;
        }

        return false;
    }

    private void AddDate(ReadOnlySpan<char> label, int line)
    {
        DateOnly date;
        if (count == 0)
        {
            format = DateText.Detect(label);
            dated = format is not null && DateText.TryParse(label, format.Value, out firstDate);
            leadingZero = format == DateFormat.LetterMonth && firstDate.Month < 10;
            letters = dated ? DateText.CaseOf(label, firstDate, format!.Value) : LetterCase.AsFormatted;
            if (!dated && DateText.TryParseDateTime(label, out var time))
            {
                (format, dated, firstDate, firstTime) = (DateFormat.IsoDate, true, time.Date, time);
                suffixes.AsSpan().Fill(lastTime = (time.Suffix, 0));
                monthsSeen[time.Date.Month - 1] = true;
            }

            if (!dated)
            {
                why ??= WhyNotADate(label);
                return;
            }

            date = firstDate;
        }
        else if (!dated)
        {
            return;
        }
        else if (firstTime is null ? !LaterDate(label, out date) : !TryDateTime(label, line, out date))
        {
            dated = false;
            why ??= $"line {line} holds '{Excerpt.Of(label)}', not a date like '{first}'";
            return;
        }
        else if (date.DayNumber <= previous.DayNumber && firstTime is not null && signature != previousSignature)
        {
            // 00:00 then 01:00 on the same day is no daylight-saving hour but an hourly step.
            dated = false;
            why = SubDaily(label, line);
            return;
        }
        else if (date.DayNumber <= previous.DayNumber)
        {
            var (was, now) = (Write(previous), Write(date));
            throw new SeriesDataException(date == previous
                ? $"{source} lines {previousLine} and {line}: {name} {now} appears twice; each time may appear once, in order{OrderHint}"
                : $"{source} line {line}: {name} {now} comes after {was} on line {previousLine}; the rows must be in time order{OrderHint}");
        }
        else
        {
            if (firstTime is not null && signature != previousSignature && date.DayNumber - previous.DayNumber == 1 && switches.Count < DaylightRule.MaxSwitches)
            {
                switches.Add((date, lastTime)); // the first day at a new time of day, the day after the last at the old one
            }

            if (firstTime is not null && date.DayNumber - previous.DayNumber > 1)
            {
                tooManyGaps |= gapsSeen.Count == DaylightRule.MaxGaps;
                if (!tooManyGaps)
                {
                    gapsSeen.Add((previous, date));
                }
            }

            days.Add(count, date.DayNumber - previous.DayNumber, line, previousLine);
            months.Add(count, MonthNumber(date) - MonthNumber(previous), line, previousLine);
        }

        sameDay &= date.Day == firstDate.Day;
        monthEnds &= date.Day == DateTime.DaysInMonth(date.Year, date.Month);
        weekend |= date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
        previous = date;
        previousLine = line;
        previousSignature = signature;
    }

    /// <summary>Every cell on the clock track while all are date-times (the first one decides).</summary>
    private void AddClock(ReadOnlySpan<char> label, int line)
    {
        if (count == 0)
        {
            clock = DateText.TryParseDateTime(label, out var time) ? new ClockTrack(time, line) : null;
            return;
        }

        if (clock is not null && !clock.Add(label, count, line, name, source, OrderHint))
        {
            if (clock.SubDaily)
            {
                why = $"line {line} holds '{Excerpt.Of(label)}', not a date-time like '{Excerpt.Of(first)}'";
            }

            clock = null;
        }
    }

    /// <summary>
    /// The times of day a dated column writes past its end: for a daily column, the daylight-saving rule its own switches
    /// follow where one fits and the input keeps to it; else each month's last as the input wrote it, and a month it never
    /// reached the last row's (the time in force where it ends, rather than the first row's, which may be the other side of
    /// a switch); where the input breaks the rule its switches fit (a zone that gave up daylight saving), the last row's always.
    /// </summary>
    private TimeOfDay Times(TimeFrequency frequency)
    {
        var broken = false;
        var rule = frequency == TimeFrequency.Daily && !tooManyGaps ? DaylightRule.Fit(switches, firstDate, previous, lastTime, gapsSeen, out broken) : null;
        var byMonth = suffixes.Select((s, m) => monthsSeen[m] && !broken ? s : lastTime).ToArray();
        return new TimeOfDay(byMonth) { Daylight = rule };
    }

    /// <summary>The digits after a plain number's decimal point ("4.0": 1, "12": 0, "1e-3": 0).</summary>
    private static int Decimals(string cell)
    {
        var text = cell.Trim();
        var point = text.IndexOf('.');
        return point < 0 || text.AsSpan(point + 1).IndexOfAnyExcept("0123456789") >= 0 ? 0 : text.Length - point - 1;
    }

    private static long MonthNumber(DateOnly date) => (date.Year * 12L) + date.Month - 1;

    /// <summary>A date as the column writes it, for messages.</summary>
    private string Write(DateOnly date) => firstTime is null ? DateText.Format(date, format!.Value, letters) : new TimeOfDay(suffixes).Write(date, format!.Value);

    private string SubDaily(ReadOnlySpan<char> label, int line) =>
        $"line {line} holds '{Excerpt.Of(label)}', at another time of day than '{Excerpt.Of(first)}' (line {firstLine})";

    /// <summary>The last date-time cell's shift from the first cell's time of day, in ticks (0: none).</summary>
    private long signature;

    /// <summary>
    /// The date of a date-time cell at the first cell's time of day, or one daylight-saving hour from it; false
    /// (saying why, when it is a date-time) for anything else.
    /// </summary>
    private bool TryDateTime(ReadOnlySpan<char> label, int line, out DateOnly date)
    {
        date = default;
        if (!DateText.TryParseDateTime(label, out var time))
        {
            return false;
        }

        var reference = firstTime!.Value;
        // A cell in another offset is first moved to the first cell's (00:00+01:00 is 23:00Z the day before: one instant),
        // then its time's difference from the first's, within half a day either way (23:00 is an hour before 00:00): none, or
        // one daylight-saving hour, whether written in the clock (07:00Z in summer, 08:00Z in winter) or in the offset.
        var ticks = time.Ticks - ((time.OffsetMinutes - reference.OffsetMinutes) * TimeSpan.TicksPerMinute);
        var written = ticks - reference.Ticks;
        written -= (long)Math.Round((double)written / TimeSpan.TicksPerDay) * TimeSpan.TicksPerDay;
        signature = written;
        var daylight = Math.Abs(written) == TimeSpan.TicksPerHour;
        if (signature != 0 && (!daylight || (shift is { } seen && seen != signature)))
        {
            why = SubDaily(label, line);
            return false;
        }

        if (signature != 0)
        {
            shift = signature;
        }

        // At the first cell's time of day, the date is the written one moved by the shift (23:00Z on June 30 is July 1 at 00:00 local).
        var days = (int)Math.Floor((double)(ticks - written) / TimeSpan.TicksPerDay);
        if (time.Date.DayNumber + days < DateOnly.MinValue.DayNumber || time.Date.DayNumber + days > DateOnly.MaxValue.DayNumber)
        {
            return false; // 9999-12-31T23:00Z as the next day: past the calendar
        }

        date = time.Date.AddDays(days);
        suffixes[date.Month - 1] = lastTime = (time.Suffix, -days);
        monthsSeen[date.Month - 1] = true;
        return true;
    }
}

/// <summary>
/// The instants of a date-time column (each cell's date and time less its offset): their differences, in order, for a
/// step shorter than a day. Equal or decreasing instants are refused once the column is known to be sub-daily, with
/// the cells as written.
/// </summary>
internal sealed class ClockTrack
{
    private readonly StepRuns steps = new();
    private long previous;
    private DateTimeText last;
    private int previousLine;

    public ClockTrack(DateTimeText first, int line)
    {
        previous = Instant(first);
        last = first;
        previousLine = line;
        FirstInstant = previous;
    }

    /// <summary>The last cell's format (its zone written as the last row writes it).</summary>
    public ClockFormat Format => ClockFormat.Of(last);

    /// <summary>True once two cells were less than a day apart.</summary>
    public bool SubDaily { get; private set; }

    private long FirstInstant { get; }

    /// <summary>The first instant as a wall clock in the last row's offset (the labels').</summary>
    public DateTime FirstWallClock => new(FirstInstant + (last.OffsetMinutes * TimeSpan.TicksPerMinute));

    /// <summary>False when the cell is not a date-time (the track ends); throws on a repeated or earlier instant of a sub-daily column.</summary>
    public bool Add(ReadOnlySpan<char> label, int row, int line, string name, string source, string orderHint = "")
    {
        if (!DateText.TryParseDateTime(label, out var time))
        {
            return false;
        }

        var instant = Instant(time);
        var difference = instant - previous;
        if (difference > 0 && difference < TimeSpan.TicksPerDay)
        {
            SubDaily = true;
        }

        // Equal or earlier: refused once the column is sub-daily, or where it goes back less than a day (a date column
        // going back has been refused as dates already).
        if (difference <= 0 && (SubDaily || difference > -TimeSpan.TicksPerDay))
        {
            var (now, before) = (Excerpt.Of(label), Text(last));
            throw new SeriesDataException(difference == 0
                ? $"{source} lines {previousLine} and {line}: {name} {now} {(label.SequenceEqual(before) ? "appears twice" : $"is the same time as {Excerpt.Of(before)}")}; each time may appear once, in order{orderHint}"
                : $"{source} line {line}: {name} {now} comes before {Excerpt.Of(before)} on line {previousLine}; the rows must be in time order{orderHint}");
        }

        steps.Add(row, difference, line, previousLine);
        (previous, last, previousLine) = (instant, time, line);
        return true;
    }

    /// <summary>The differences' runs and the step, where the smallest difference is shorter than a day, divides it, and divides every other; else null and why.</summary>
    public StepRuns? Infer(out TimeSpan step, out string reason)
    {
        step = default;
        reason = "irregular date-times, not on a step that divides a day (an hour, 30 or 15 minutes, a minute)";
        if (steps.Overflowed || steps.Runs.Count == 0)
        {
            return null;
        }

        var smallest = steps.Runs.Min(r => r.Difference);
        if (smallest <= 0 || smallest >= TimeSpan.TicksPerDay || TimeSpan.TicksPerDay % smallest != 0 || smallest % TimeSpan.TicksPerSecond != 0
            || steps.Runs.Any(r => r.Difference % smallest != 0))
        {
            reason = Irregular(steps.Runs);
            return null;
        }

        step = TimeSpan.FromTicks(smallest);
        return steps;
    }

    /// <summary>
    /// Why no step fits, naming a row: the first that is off the difference most rows share (a daily column with one
    /// cell in another offset: that cell), or that difference where it does not divide a day.
    /// </summary>
    private static string Irregular(IReadOnlyList<StepRuns.Run> runs)
    {
        const string Steps = "a step must divide a day: an hour, 30 or 15 minutes, a minute";
        var typical = runs.Where(r => r.Difference > 0).GroupBy(r => r.Difference).MaxBy(g => g.Sum(r => r.Count))?.Key ?? 0;
        if (typical <= 0)
        {
            return "irregular date-times, not on a step that divides a day (an hour, 30 or 15 minutes, a minute)";
        }

        var off = runs.FirstOrDefault(r => r.Difference % typical != 0);
        return off.Count > 0
            ? $"irregular date-times, not on a step that divides a day: line {off.Line} is {Words(off.Difference)} after line {off.PreviousLine}, where most rows are {Words(typical)} apart ({Steps})"
            : $"irregular date-times, not on a step that divides a day: most rows are {Words(typical)} apart ({Steps})";
    }

    /// <summary>A duration in words: "22 hours", "1 day 2 hours", "37 minutes 30 seconds".</summary>
    internal static string Words(long ticks)
    {
        var span = TimeSpan.FromTicks(Math.Abs(ticks));
        var parts = new List<string>();
        foreach (var (n, unit) in new[] { ((int)span.TotalDays, "day"), (span.Hours, "hour"), (span.Minutes, "minute"), (span.Seconds, "second") })
        {
            if (n > 0)
            {
                parts.Add(n == 1 ? $"1 {unit}" : $"{n} {unit}s");
            }
        }

        return parts.Count > 0 ? string.Join(' ', parts) : $"{span.TotalMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture)} ms";
    }

    /// <summary>A cell as written: its ISO date, then what followed it.</summary>
    private static string Text(DateTimeText time) => time.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) + time.Suffix;

    private static long Instant(DateTimeText time) => ((long)time.Date.DayNumber * TimeSpan.TicksPerDay) + time.Ticks - (time.OffsetMinutes * TimeSpan.TicksPerMinute);
}

/// <summary>Consecutive differences of a time column, run-length encoded, up to <see cref="TimeAxisBuilder.MaxRuns"/> runs.</summary>
internal sealed class StepRuns
{
    /// <summary>Rows Row .. Row + Count − 1 each come <paramref name="Difference"/> units after the row before; Line and PreviousLine are the first one's file lines.</summary>
    public readonly record struct Run(int Row, int Count, long Difference, int Line, int PreviousLine);

    private readonly List<Run> runs = [];

    public IReadOnlyList<Run> Runs => runs;

    public bool Overflowed { get; private set; }

    public void Add(int row, long difference, int line, int previousLine)
    {
        if (Overflowed)
        {
            return;
        }

        if (runs.Count > 0 && runs[^1].Difference == difference)
        {
            runs[^1] = runs[^1] with { Count = runs[^1].Count + 1 };
        }
        else if (runs.Count == TimeAxisBuilder.MaxRuns)
        {
            Overflowed = true;
            runs.Clear();
        }
        else
        {
            runs.Add(new Run(row, 1, difference, line, previousLine));
        }
    }
}

/// <summary>Where a dated column skips positions of its step, and the series with those positions put back (as NaN, to be filled).</summary>
internal sealed class TimeGaps
{
    private readonly StepRuns runs;
    private readonly long step;

    public TimeGaps(StepRuns runs, long step)
    {
        (this.runs, this.step) = (runs, step);
        long position = 0;
        foreach (var run in runs.Runs)
        {
            var steps = run.Difference / step;
            if (steps > 1)
            {
                Missing += run.Count * (steps - 1);
                Count += run.Count;
                FirstGap ??= new Gap(run.Line, run.PreviousLine, position, steps - 1);
            }

            position += run.Count * steps;
        }
    }

    /// <summary>A gap after position Before (in steps, of the series as it will be), Missing positions long, between two file lines.</summary>
    public sealed record Gap(int Line, int PreviousLine, long Before, long Missing);

    /// <summary>Positions missing in all.</summary>
    public long Missing { get; }

    /// <summary>Gaps: places where one or more positions are missing.</summary>
    public int Count { get; }

    public Gap? FirstGap { get; }

    /// <summary>The values at their positions, NaN at the missing ones: one new array of the series' length plus <see cref="Missing"/>.</summary>
    public float[] Spread(ReadOnlySpan<float> values)
    {
        var spread = new float[values.Length + Missing];
        spread.AsSpan().Fill(float.NaN);
        spread[0] = values[0];
        long position = 0;
        foreach (var run in runs.Runs)
        {
            var steps = run.Difference / step;
            for (var row = run.Row; row < run.Row + run.Count; row++)
            {
                position += steps;
                spread[position] = values[row];
            }
        }

        return spread;
    }
}
