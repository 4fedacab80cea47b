using System.Globalization;

namespace SimpleRnnTorch.Data;

/// <summary>The step of a dated time column.</summary>
internal enum TimeFrequency
{
    Daily,
    Weekly,
    Monthly,
    Quarterly,
    Yearly,
}

/// <summary>How the dates of a time column are written; labels past the end are written the same way.</summary>
internal enum DateFormat
{
    /// <summary>1958-03-29</summary>
    IsoDate,

    /// <summary>19580329</summary>
    Compact,

    /// <summary>1950-01</summary>
    YearMonth,

    /// <summary>1871, also 1871.0</summary>
    Year,

    /// <summary>1959Q1, also 1959q1 as Stata writes it (%tq; the letter's case is the axis', <see cref="LetterCase"/>)</summary>
    Quarter,

    /// <summary>1959-Q1</summary>
    DashQuarter,

    /// <summary>1958/03/29: year first, so never ambiguous (unlike 03/04/1958, which is refused as a date: labels)</summary>
    SlashDate,

    /// <summary>1950/01</summary>
    SlashYearMonth,

    /// <summary>29.03.1958: day first, as German, Russian and other European spreadsheets write dates</summary>
    DottedDate,

    /// <summary>1959 Q1, as R writes a quarter (zoo's yearqtr, tsibble's yearquarter)</summary>
    SpaceQuarter,

    /// <summary>1959 Jan, as R's tsibble writes a month (yearmonth)</summary>
    YearMonthName,

    /// <summary>Jan 1959, as R's zoo writes a month (yearmon)</summary>
    MonthNameYear,

    /// <summary>1959M01, as EViews and Eurostat write a month</summary>
    LetterMonth,

    /// <summary>1959M1: a month without a leading zero, as the IMF writes one, and 1959m1 as Stata does (%tm)</summary>
    ShortLetterMonth,

    /// <summary>2020-W05: an ISO week (its Monday), as ISO 8601 writes one</summary>
    IsoWeek,

    /// <summary>2020 W05: an ISO week, as R's tsibble writes one (yearweek)</summary>
    SpaceWeek,
}

/// <summary>
/// How a date column writes the letters in its dates (1959Q1 or 1959q1, 2020-W05 or 2020-w05, Jan, jan or JAN): read in
/// any case, the labels past the end written in the first cell's.
/// </summary>
internal enum LetterCase
{
    AsFormatted,
    Lower,
    Upper,
}

/// <summary>
/// The time column of a series, in constant memory: one of three cases, from which the label of any
/// position (and of the k-th value after the end) follows.
/// <list type="bullet">
/// <item><see cref="Dated"/>: dates on a fixed calendar step (daily, weekly, monthly, quarterly, yearly).</item>
/// <item><see cref="Clocked"/>: date-times on a step shorter than a day (hours, half hours, quarter hours, minutes, seconds).</item>
/// <item><see cref="Numbered"/>: numbers on a fixed step that are not dates (1, 2, 3; 1900, 1910).</item>
/// <item><see cref="Labelled"/>: anything else; only the first and last label are known.</item>
/// </list>
/// The constructor is private: these four are the only cases.
/// </summary>
internal abstract record TimeAxis
{
    private TimeAxis(string name) => Name = name;

    /// <summary>The column's header, or "column 3".</summary>
    public string Name { get; }

    /// <summary>True when every position has a label (dated or numbered).</summary>
    public bool IsRegular => this is not Labelled;

    /// <summary>The label of position <paramref name="index"/> of a series of <paramref name="length"/> values; null where only the ends are known.</summary>
    public abstract string? Label(long index, long length);

    /// <summary>The label of the k-th value (1-based) after the last of <paramref name="length"/>.</summary>
    public abstract string Beyond(int k, long length);

    /// <summary>m of the seasonal naive baseline when no --season is given: the dates' natural cycle, or none.</summary>
    public virtual int? DefaultSeason => null;

    /// <summary>A few words for the reading's summary: "monthly", "numbers, step 10", "labels only (business days)".</summary>
    public abstract string Describe();

    /// <summary>One step of a dated axis, for messages ("month", "hour", "15-minute step"); null for numbers and labels.</summary>
    public virtual string? Unit => null;

    /// <summary>What a gap of this axis is counted in ("1 month missing"; a numbered axis: "1 value missing"); null: no gaps.</summary>
    public virtual string? GapUnit => Unit;

    /// <summary>The date and time of a position (midnight for dates); null where the axis has none, or past the calendar.</summary>
    public virtual DateTime? Instant(long index) => null;

    /// <summary>
    /// Dates on a fixed step. Month-based steps keep the day of the month of the first date, or the last
    /// day of each month when every date is a month end (1950-01-31, 1950-02-28). Dates written with a time
    /// of day (one for every row, up to a daylight-saving hour) are labelled with it (<paramref name="Times"/>).
    /// </summary>
    public sealed record Dated(string Name, TimeFrequency Frequency, DateOnly First, DateFormat Format, bool MonthEnds = false, TimeOfDay? Times = null) : TimeAxis(Name)
    {
        /// <summary>The date of a position; null past 9999-12-31 (or before 0001-01-01).</summary>
        public DateOnly? Date(long index)
        {
            var (days, months) = Frequency switch
            {
                TimeFrequency.Daily => (index, 0L),
                TimeFrequency.Weekly => (7 * index, 0L),
                _ => (0L, index * MonthsPerStep),
            };

            var day = First.DayNumber + days;
            var month = ((First.Year - 1) * 12L) + First.Month - 1 + months;
            if (day < DateOnly.MinValue.DayNumber || day > DateOnly.MaxValue.DayNumber || month < 0 || month >= 9999 * 12)
            {
                return null;
            }

            return months == 0 ? DateOnly.FromDayNumber((int)day) : AddMonths((int)months);
        }

        public override string? Label(long index, long length) => Date(index) is { } date ? Write(date) : $"{Write(First)} +{index}";

        /// <summary>The case of the letters the column writes its dates with (1959q1, 2020-w05).</summary>
        public LetterCase Letters { get; init; }

        /// <summary>A date as the column writes it: "2011-01", or "2011-01-01T08:00:00.000Z" with a time of day.</summary>
        public string Write(DateOnly date) => Times?.Write(date, Format) ?? DateText.Format(date, Format, Letters);

        public override string Beyond(int k, long length) => Label(length - 1 + k, length)!;

        public override int? DefaultSeason => Frequency switch
        {
            TimeFrequency.Daily => 7,
            TimeFrequency.Weekly => 52,
            TimeFrequency.Monthly => 12,
            TimeFrequency.Quarterly => 4,
            _ => null,
        };

        public override string Describe() => Frequency.ToString().ToLowerInvariant();

        public override DateTime? Instant(long index) => Date(index)?.ToDateTime(TimeOnly.MinValue);

        /// <summary>"month", "year": one step of this axis, for messages.</summary>
        public override string Unit => Frequency switch
        {
            TimeFrequency.Daily => "day",
            TimeFrequency.Weekly => "week",
            TimeFrequency.Monthly => "month",
            TimeFrequency.Quarterly => "quarter",
            _ => "year",
        };

        private int MonthsPerStep => Frequency switch
        {
            TimeFrequency.Monthly => 1,
            TimeFrequency.Quarterly => 3,
            _ => 12,
        };

        private DateOnly AddMonths(int months)
        {
            // DateOnly.AddMonths keeps the day where it can and clamps it to the month's end (Jan 31 + 1 month: Feb 28 or 29).
            var date = First.AddMonths(months);
            return MonthEnds ? new DateOnly(date.Year, date.Month, DateTime.DaysInMonth(date.Year, date.Month)) : date;
        }
    }

    /// <summary>
    /// Date-times on a step shorter than a day that divides it (an hour, 30 or 15 minutes, a minute, whole seconds):
    /// position i is <paramref name="First"/> + i · <paramref name="Step"/>, written as the column writes its date-times
    /// (<paramref name="Format"/>). The steps are measured between instants (each row's offset taken off), so a column
    /// whose offset changes with daylight saving time is still regular; the labels are written in the last row's offset.
    /// </summary>
    /// <param name="First">The first position's wall-clock time in that offset.</param>
    /// <param name="Ends">The first and the last cell as written, the labels of the first and last positions.</param>
    public sealed record Clocked(string Name, DateTime First, TimeSpan Step, ClockFormat Format, (string First, string Last) Ends) : TimeAxis(Name)
    {
        /// <summary>The longest default season: the longest of a day, an hour and a minute that has at most this many steps.</summary>
        public const int MaxSeason = 96;

        public override DateTime? Instant(long index)
        {
            var ticks = (decimal)First.Ticks + ((decimal)index * Step.Ticks);
            return ticks >= DateTime.MinValue.Ticks && ticks <= DateTime.MaxValue.Ticks ? new DateTime((long)ticks) : null;
        }

        public override string? Label(long index, long length) =>
            index == 0 ? Ends.First : index == length - 1 ? Ends.Last : Instant(index) is { } time ? Format.Write(time) : $"{Ends.First} +{index}";

        public override string Beyond(int k, long length) => Label(length - 1 + k, length)!;

        /// <summary>
        /// The longest of a day, an hour and a minute that is a whole number of steps, more than one and at most
        /// <see cref="MaxSeason"/>: a day of hours (24), half hours (48) or quarter hours (96), an hour of minutes (60)
        /// or five-minute steps (12), a minute of seconds (60). A day of minutes would be a window of 1,440 values,
        /// an hour of seconds one of 3,600, and a training step's time and memory grow with the window. None for a
        /// step no such period holds (7 seconds).
        /// </summary>
        public override int? DefaultSeason =>
            new[] { TimeSpan.TicksPerDay, TimeSpan.TicksPerHour, TimeSpan.TicksPerMinute }
                .Where(period => period % Step.Ticks == 0 && period / Step.Ticks is > 1 and <= MaxSeason)
                .Select(period => (int?)(period / Step.Ticks)).FirstOrDefault();

        public override string Describe() => Step == TimeSpan.FromHours(1) ? "hourly" : $"every {Words(Step)}";

        /// <summary>"hour", "minute", "15-minute step".</summary>
        public override string Unit => Written(Step) is var (n, unit) && n == 1 ? unit : $"{n}-{unit} step";

        /// <summary>"15 minutes", "2 hours", "minute".</summary>
        private static string Words(TimeSpan step) => Written(step) is var (n, unit) && n == 1 ? unit : $"{n} {unit}s";

        private static (long Count, string Unit) Written(TimeSpan step) =>
            step.Ticks % TimeSpan.TicksPerHour == 0 ? (step.Ticks / TimeSpan.TicksPerHour, "hour")
            : step.Ticks % TimeSpan.TicksPerMinute == 0 ? (step.Ticks / TimeSpan.TicksPerMinute, "minute")
            : (step.Ticks / TimeSpan.TicksPerSecond, "second");
    }

    /// <summary>Numbers on a fixed step that are not read as dates: position i is Start + i · Step.</summary>
    /// <param name="Decimals">The decimals the first cell was written with ("4.0": 1): labels keep them where the value needs no more.</param>
    public sealed record Numbered(string Name, double Start, double Step, int Decimals = 0) : TimeAxis(Name)
    {
        public override string? Label(long index, long length) => At(index, written: false);

        // Past the end, in the column's own decimals where they lose nothing: 4.9 is followed by 5.0 in a column written 0.1, 0.2, ….
        public override string Beyond(int k, long length) => At(length - 1 + k, written: true);

        // Whole numbers count on in integers: past 2^53 a double cannot tell 9007199254740992 from the next one.
        private string At(long index, bool written)
        {
            var places = written && Decimals is > 0 and <= 9 ? Decimals : 0;
            if (IsWhole(Start) && IsWhole(Step))
            {
                var whole = ((Int128)(long)Start + ((Int128)index * (long)Step)).ToString(CultureInfo.InvariantCulture);
                return places > 0 ? whole + "." + new string('0', places) : whole;
            }

            var value = Start + (index * Step);
            return places > 0 && Math.Round(value, places) == Math.Round(value, 9)
                ? Math.Round(value, places).ToString("F" + places.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)
                : Number(value);
        }

        private static bool IsWhole(double value) => value == Math.Round(value) && Math.Abs(value) < 9.2E18;

        public override string Describe() => $"numbers, step {Number(Step)}";

        public override string GapUnit => "value";

        // A whole number as all its digits (the custom format keeps 15: 1e15 + 29 and + 30 would print alike), else up to 9 decimals.
        private static string Number(double value) => IsWhole(value)
            ? ((long)value).ToString(CultureInfo.InvariantCulture)
            : Math.Round(value, 9).ToString("0.#########", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Labels that are neither: only the first and the last are kept; a forecast is "last +k".
    /// <paramref name="Why"/> says why dates were not used, when the column started as dates.
    /// </summary>
    public sealed record Labelled(string Name, string First, string Last, string? Why = null) : TimeAxis(Name)
    {
        public override string? Label(long index, long length) => index == 0 ? First : index == length - 1 ? Last : null;

        public override string Beyond(int k, long length) => $"{Last} +{k}";

        public override string Describe() => Why is null ? "labels only" : $"labels only: {Why}";
    }
}

/// <summary>
/// The time of day (and zone) a date-time column writes after each date, as written: "T08:00:00.000Z", " 00:00".
/// One for every date; where daylight saving time moves it by an hour, the one the input last wrote in each month of
/// the year, so that a forecast's labels read as the input's do, with the day it was written on (Days: −1 for a
/// local midnight written as 23:00Z the day before).
/// </summary>
internal sealed record TimeOfDay(IReadOnlyList<(string Suffix, int Days)> ByMonth)
{
    /// <summary>
    /// For a daily column whose switches between its two times follow a calendar rule (<see cref="DaylightRule.Fit"/>): the time
    /// each date had by that rule, where the month's last one is wrong from a switch to the month's end (a March forecast of
    /// local midnights in UTC took the summer hour before the switch). Null: <see cref="ByMonth"/>.
    /// </summary>
    public DaylightRule? Daylight { get; init; }

    public string Write(DateOnly date, DateFormat format)
    {
        var (suffix, days) = Daylight?.For(date) ?? ByMonth[date.Month - 1];
        var written = days == 0 || date.DayNumber + days < DateOnly.MinValue.DayNumber || date.DayNumber + days > DateOnly.MaxValue.DayNumber ? date : date.AddDays(days);
        return DateText.Format(written, format) + suffix;
    }
}

/// <summary>
/// How a date-time column writes its cells, for labels past its end: the separator, seconds and their fraction's
/// digits, and the zone as written ("Z", "+01:00", or nothing).
/// </summary>
internal sealed record ClockFormat(char Separator, bool Seconds, int FractionDigits, string Zone, char FractionSeparator = '.')
{
    /// <summary>The format of a cell (<see cref="DateText.TryParseDateTime"/>): what its suffix holds.</summary>
    public static ClockFormat Of(DateTimeText cell)
    {
        var suffix = cell.Suffix;
        var time = suffix.AsSpan(1);
        var length = time.IndexOfAnyExcept("0123456789:.,");
        length = length < 0 ? time.Length : length;
        var fraction = time[..length].IndexOfAny('.', ',');
        return new ClockFormat(suffix[0], length >= 8, fraction < 0 ? 0 : length - fraction - 1, time[length..].ToString(), fraction < 0 ? '.' : time[fraction]);
    }

    public string Write(DateTime time)
    {
        var text = time.ToString(Seconds ? "yyyy-MM-dd'T'HH:mm:ss" : "yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);
        var fraction = FractionDigits > 0 ? FractionSeparator + (time.Ticks % TimeSpan.TicksPerSecond).ToString("0000000", CultureInfo.InvariantCulture)[..FractionDigits] : "";
        return $"{text[..10]}{Separator}{text[11..]}{fraction}{Zone}";
    }
}

/// <summary>
/// An ISO date with a time of day, split: the date, what follows it as written (<paramref name="Suffix"/>: the
/// separator, the time, the zone), the time of day in ticks and the zone's offset in minutes (0 without one).
/// </summary>
internal readonly record struct DateTimeText(DateOnly Date, string Suffix, long Ticks, int OffsetMinutes);

/// <summary>
/// Reading and writing the date formats of a time column. The BCL's DateOnly is enough: exact parsing in
/// the invariant culture, day numbers for differences, AddMonths that clamps to the month's end, and no
/// time zones to care about. NodaTime would add a dependency for the same few operations.
/// </summary>
internal static class DateText
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The format of a first cell that is a date, or null: "1958-03-29", "19580329", "1950-01", "1871", "1871.0", "1959Q1", "1959-Q1", "1959 Q1", "1958/03/29", "1950/01", "29.03.1958", "1959 Jan", "Jan 1959", "1959M01", "1959M1", "2020-W05", "2020 W05"; letters in any case (1959q1, 1959m1, JAN 1959).</summary>
    public static DateFormat? Detect(ReadOnlySpan<char> cell)
    {
        foreach (var format in Enum.GetValues<DateFormat>())
        {
            if (TryParse(cell, format, out _))
            {
                return format;
            }
        }

        return null;
    }

    /// <summary>The formats that are one exact pattern, read and written with it.</summary>
    private static readonly Dictionary<DateFormat, string> Patterns = new()
    {
        [DateFormat.IsoDate] = "yyyy-MM-dd",
        [DateFormat.Compact] = "yyyyMMdd",
        [DateFormat.YearMonth] = "yyyy-MM",
        [DateFormat.SlashDate] = "yyyy'/'MM'/'dd",
        [DateFormat.SlashYearMonth] = "yyyy'/'MM",
        [DateFormat.DottedDate] = "dd'.'MM'.'yyyy",
        [DateFormat.YearMonthName] = "yyyy MMM",
        [DateFormat.MonthNameYear] = "MMM yyyy",
    };

    /// <summary>A cell in one format, strictly: "1958-3-29" is not an ISO date, "1958-03" is not a year.</summary>
    public static bool TryParse(ReadOnlySpan<char> cell, DateFormat format, out DateOnly date)
    {
        date = default;
        if (Patterns.TryGetValue(format, out var pattern))
        {
            // The pattern's length is the cell's: two-digit months and days, four-digit years, nothing around them.
            return cell.Length == pattern.Replace("'", "", StringComparison.Ordinal).Length && DateOnly.TryParseExact(cell, pattern, Invariant, DateTimeStyles.None, out date);
        }

        switch (format)
        {
            case DateFormat.Year:
                // 1871, or 1871.0 as a float column writes it.
                var point = cell.IndexOf('.');
                if (point >= 0 && (point == cell.Length - 1 || cell[(point + 1)..].ContainsAnyExcept('0')))
                {
                    return false;
                }

                return Year(point >= 0 ? cell[..point] : cell, out date);
            case DateFormat.Quarter:
            case DateFormat.DashQuarter:
            case DateFormat.SpaceQuarter:
                // The letter in either case (1959q1 as Stata writes it): the column's first cell sets the labels' case (LetterCase).
                var gap = Between(format).Length;
                if (cell.Length != 6 + gap || !cell[4..].StartsWith(Between(format), StringComparison.Ordinal) || (cell[4 + gap] | 0x20) != 'q' || cell[5 + gap] is < '1' or > '4')
                {
                    return false;
                }

                if (!Year(cell[..4], out date))
                {
                    return false;
                }

                date = new DateOnly(date.Year, ((cell[5 + gap] - '1') * 3) + 1, 1);
                return true;
            case DateFormat.LetterMonth:
            case DateFormat.ShortLetterMonth:
                // 1959M01 (two digits) and 1959M1 (no leading zero: 1959M10 is either), the letter in either case (1959m1, Stata's).
                var digits = cell.Length > 5 ? cell[5..] : [];
                if (cell.Length is < 6 or > 7 || (cell[4] | 0x20) != 'm' || digits.ContainsAnyExceptInRange('0', '9')
                    || (format == DateFormat.LetterMonth ? digits.Length != 2 : digits[0] == '0') || !Year(cell[..4], out date))
                {
                    return false;
                }

                var month = int.Parse(digits, NumberStyles.None, Invariant);
                if (month is < 1 or > 12)
                {
                    return false;
                }

                date = new DateOnly(date.Year, month, 1);
                return true;
            case DateFormat.IsoWeek:
            case DateFormat.SpaceWeek:
                // 2020-W05: the Monday of ISO week 5 of 2020 (ISO weeks start on Monday; week 1 holds the year's first Thursday).
                if (cell.Length != 8 || !cell[4..].StartsWith(Between(format), StringComparison.Ordinal) || (cell[5] | 0x20) != 'w' || !Digits(cell[6..], 1, 53, out var week) || !Year(cell[..4], out date)
                    || week > ISOWeek.GetWeeksInYear(date.Year))
                {
                    return false;
                }

                date = DateOnly.FromDateTime(ISOWeek.ToDateTime(date.Year, week, DayOfWeek.Monday));
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// "2020-01-01 00:00", "2020-01-01T00:00:00", with seconds, a fraction of up to 7 digits, "Z" or an offset
    /// (+01:00, +0100, +01); strictly, as <see cref="TryParse"/> reads dates.
    /// </summary>
    public static bool TryParseDateTime(ReadOnlySpan<char> cell, out DateTimeText value)
    {
        value = default;
        if (cell.Length < 16 || cell[10] is not ('T' or 't' or ' ') || !TryParse(cell[..10], DateFormat.IsoDate, out var date))
        {
            return false;
        }

        var rest = cell[11..];
        if (!Digits(rest, 0, 23, out var hours) || rest[2] != ':' || !Digits(rest[3..], 0, 59, out var minutes))
        {
            return false;
        }

        var ticks = (hours * TimeSpan.TicksPerHour) + (minutes * TimeSpan.TicksPerMinute);
        var i = 5;
        if (i < rest.Length && rest[i] == ':')
        {
            if (!Digits(rest[(i + 1)..], 0, 59, out var seconds))
            {
                return false;
            }

            ticks += seconds * TimeSpan.TicksPerSecond;
            i += 3;
            if (i < rest.Length && rest[i] is '.' or ',')
            {
                var digits = rest[(i + 1)..];
                var n = digits.IndexOfAnyExceptInRange('0', '9');
                n = n < 0 ? digits.Length : n;
                if (n is 0 or > 7)
                {
                    return false;
                }

                ticks += long.Parse(digits[..n], NumberStyles.None, Invariant) * (long)Math.Pow(10, 7 - n);
                i += 1 + n;
            }
        }

        var offset = 0;
        var zone = rest[i..];
        if (zone.Length == 1 && zone[0] is 'Z' or 'z')
        {
            offset = 0;
        }
        else if (zone.Length > 0)
        {
            // +01, +0100 or +01:00.
            var sign = zone[0] switch { '+' => 1, '-' => -1, _ => 0 };
            var colon = zone.Length == 6 && zone[3] == ':';
            if (sign == 0 || zone.Length is not (3 or 5 or 6) || (zone.Length == 6 && !colon) || !Digits(zone[1..], 0, 14, out var oh))
            {
                return false;
            }

            var om = 0;
            if (zone.Length > 3 && !Digits(zone[(colon ? 4 : 3)..], 0, 59, out om))
            {
                return false;
            }

            offset = sign * ((oh * 60) + om);
        }

        value = new DateTimeText(date, cell[10..].ToString(), ticks, offset);
        return true;
    }

    /// <summary>Two digits at the start of <paramref name="text"/>, from <paramref name="min"/> to <paramref name="max"/>.</summary>
    private static bool Digits(ReadOnlySpan<char> text, int min, int max, out int value)
    {
        value = 0;
        if (text.Length < 2 || !char.IsAsciiDigit(text[0]) || !char.IsAsciiDigit(text[1]))
        {
            return false;
        }

        value = ((text[0] - '0') * 10) + (text[1] - '0');
        return value >= min && value <= max;
    }

    public static string Format(DateOnly date, DateFormat format) => format switch
    {
        _ when Patterns.TryGetValue(format, out var pattern) => date.ToString(pattern, Invariant),
        DateFormat.Year => date.ToString("yyyy", Invariant),
        DateFormat.Quarter or DateFormat.DashQuarter or DateFormat.SpaceQuarter => $"{date.ToString("yyyy", Invariant)}{Between(format)}Q{((date.Month - 1) / 3) + 1}",
        DateFormat.LetterMonth => date.ToString("yyyy'M'MM", Invariant),
        DateFormat.ShortLetterMonth => date.ToString("yyyy'M'M", Invariant),
        _ => string.Create(Invariant, $"{ISOWeek.GetYear(date.ToDateTime(TimeOnly.MinValue)):D4}{Between(format)}W{ISOWeek.GetWeekOfYear(date.ToDateTime(TimeOnly.MinValue)):D2}"),
    };

    /// <summary>A date as <paramref name="format"/> writes it, its letters in <paramref name="letters"/>' case (2020-w05, JAN 1959).</summary>
    public static string Format(DateOnly date, DateFormat format, LetterCase letters) => letters switch
    {
        LetterCase.Lower => Format(date, format).ToLowerInvariant(),
        LetterCase.Upper => Format(date, format).ToUpperInvariant(),
        _ => Format(date, format),
    };

    /// <summary>The case of the letters in <paramref name="cell"/>, a date read as <paramref name="format"/>: as <see cref="Format(DateOnly, DateFormat)"/> writes them, or all lower or upper case.</summary>
    public static LetterCase CaseOf(ReadOnlySpan<char> cell, DateOnly date, DateFormat format)
    {
        var written = Format(date, format);
        return cell.SequenceEqual(written) ? LetterCase.AsFormatted
            : cell.SequenceEqual(written.ToLowerInvariant()) ? LetterCase.Lower
            : cell.SequenceEqual(written.ToUpperInvariant()) ? LetterCase.Upper
            : LetterCase.AsFormatted;
    }

    /// <summary>What stands between the year and the quarter or week: 1959Q1, 1959-Q1, 1959 Q1, 2020-W05, 2020 W05.</summary>
    private static string Between(DateFormat format) => format switch
    {
        DateFormat.DashQuarter or DateFormat.IsoWeek => "-",
        DateFormat.SpaceQuarter or DateFormat.SpaceWeek => " ",
        _ => "",
    };

    /// <summary>Four digits, 0001 to 9999.</summary>
    private static bool Year(ReadOnlySpan<char> digits, out DateOnly date)
    {
        date = default;
        if (digits.Length != 4 || digits.ContainsAnyExceptInRange('0', '9'))
        {
            return false;
        }

        var year = int.Parse(digits, NumberStyles.None, Invariant);
        if (year < 1)
        {
            return false;
        }

        date = new DateOnly(year, 1, 1);
        return true;
    }
}

/// <summary>
/// When a daily date-time column moves between its two times of day (daylight saving): the first date of each, as a rule of
/// the calendar fitted on the switches the input shows (the last Sunday of March, the second Sunday of March, ...), so that
/// dates past the input's end get the time they will have.
/// </summary>
internal sealed record DaylightRule((string Suffix, int Days) First, SwitchDay IntoFirst, (string Suffix, int Days) Second, SwitchDay IntoSecond)
{
    /// <summary>The time of day of <paramref name="date"/>: the one the latest switch on or before it began; null past the calendar.</summary>
    public (string Suffix, int Days)? For(DateOnly date)
    {
        DateOnly? latest = null;
        (string, int)? state = null;
        for (var year = date.Year - 1; year <= date.Year; year++)
        {
            foreach (var (rule, time) in new[] { (IntoFirst, First), (IntoSecond, Second) })
            {
                if (rule.In(year) is { } start && start <= date && (latest is null || start > latest))
                {
                    (latest, state) = (start, time);
                }
            }
        }

        return state;
    }

    /// <summary>The most switches kept while reading: a century of daily values holds two hundred (past this many, a later rule's switches are not seen and the rule reads as broken: the last row's time).</summary>
    public const int MaxSwitches = 1000;

    /// <summary>
    /// The rule the <paramref name="switches"/> follow (each the first date at a new time of day, one day after the date
    /// before it), or null: not exactly two times, one never switched into, switches into one time that no single rule of
    /// month, weekday and place in the month covers, or a rule the input itself breaks: its last date at another time than
    /// the rule's, or a switch day of the rule between its first and last dates that it went through without switching (a
    /// zone that gave up daylight saving). A switch day inside a gap of the input (<paramref name="gaps"/>: dates before and
    /// after a missing stretch) is no evidence either way.
    /// </summary>
    /// <param name="broken">Set where a rule fits the switches but the input breaks it: the zone's switching changed, and the time at its end is the best guess.</param>
    public static DaylightRule? Fit(IReadOnlyList<(DateOnly Date, (string Suffix, int Days) Time)> switches, DateOnly first, DateOnly last,
        (string Suffix, int Days) lastTime, IReadOnlyList<(DateOnly Before, DateOnly After)> gaps, out bool broken)
    {
        broken = false;
        var times = switches.GroupBy(s => s.Time).ToList();
        if (times.Count != 2)
        {
            return null;
        }

        var rules = times.Select(g => SwitchDay.Fit([.. g.Select(s => s.Date)])).ToList();
        if (rules[0] is not { } into || rules[1] is not { } back)
        {
            return null;
        }

        var rule = new DaylightRule(times[0].Key, into, times[1].Key, back);
        broken = true;
        if (rule.For(last) != lastTime)
        {
            return null;
        }

        var seen = switches.Select(s => s.Date).ToHashSet();
        for (var year = first.Year; year <= last.Year; year++)
        {
            foreach (var day in new[] { into.In(year), back.In(year) })
            {
                if (day is { } d && d > first && d <= last && !seen.Contains(d) && !gaps.Any(g => g.Before < d && d <= g.After))
                {
                    return null;
                }
            }
        }

        broken = false;
        return rule;
    }

    /// <summary>The most gaps kept while reading for <see cref="Fit"/>'s check; a column with more has no rule.</summary>
    public const int MaxGaps = 10_000;
}

/// <summary>
/// A day of the year by rule: the <paramref name="Ordinal"/>-th (or, at −1, the last) <paramref name="Weekday"/> of
/// <paramref name="Month"/>, plus <paramref name="Offset"/> days (a local midnight after a switch at 02:00 is the next day's).
/// </summary>
internal readonly record struct SwitchDay(int Month, DayOfWeek Weekday, int Ordinal, int Offset)
{
    public DateOnly? In(int year)
    {
        if (year is < 1 or > 9999)
        {
            return null;
        }

        var days = DateTime.DaysInMonth(year, Month);
        var first = new DateOnly(year, Month, 1);
        var day = 1 + (((int)Weekday - (int)first.DayOfWeek + 7) % 7) + (Ordinal > 0 ? 7 * (Ordinal - 1) : 0);
        if (Ordinal < 0)
        {
            while (day + 7 <= days)
            {
                day += 7;
            }
        }
        else if (day > days)
        {
            return null; // a fifth weekday the month lacks (Fit never makes one: days 29 to 31 are always a month's last seven)
        }

        var date = new DateOnly(year, Month, day);
        return date.DayNumber + Offset <= DateOnly.MaxValue.DayNumber ? date.AddDays(Offset) : null;
    }

    /// <summary>
    /// The rule every date of <paramref name="dates"/> follows, the switch on the day itself or the day before (a Sunday
    /// preferred: daylight saving switches on Sundays in Europe and North America), or null.
    /// </summary>
    public static SwitchDay? Fit(IReadOnlyList<DateOnly> dates)
    {
        var fits = new List<SwitchDay>();
        foreach (var offset in new[] { 0, 1 })
        {
            var days = dates.Select(d => d.AddDays(-offset)).ToList();
            if (days.Select(d => (d.Month, d.DayOfWeek)).Distinct().Count() != 1)
            {
                continue;
            }

            var (month, weekday) = (days[0].Month, days[0].DayOfWeek);
            if (days.All(d => d.Day + 7 > DateTime.DaysInMonth(d.Year, d.Month)))
            {
                fits.Add(new SwitchDay(month, weekday, -1, offset));
            }
            else if (days.Select(d => ((d.Day - 1) / 7) + 1).Distinct().ToList() is [var ordinal])
            {
                fits.Add(new SwitchDay(month, weekday, ordinal, offset));
            }
        }

        return fits.Count == 0 ? null : fits.FirstOrDefault(f => f.Weekday == DayOfWeek.Sunday, fits[0]);
    }
}
