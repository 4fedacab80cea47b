using SimpleRnnTorch.Cli.Sources;
using SimpleRnnTorch.Data;

namespace SimpleRnnTorch.Tests.Data;

/// <summary>A dated time column in a file: order, duplicates, gaps refused or filled, the limit on filling, the season a run gets.</summary>
public sealed class SeriesFileDatesTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    private string Write(string text)
    {
        var path = temp.File($"dates-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, text);
        return path;
    }

    private Series Read(string text, FillMethod fill = FillMethod.None) => SeriesFile.Read(new SeriesSettings(Write(text), TimeColumn: "date", Fill: fill) { Labels = SeriesCli.Labels });

    private string Refused(string text, FillMethod fill = FillMethod.None)
    {
        var path = Write(text);
        var error = Assert.Throws<SeriesDataException>(() => SeriesFile.Read(new SeriesSettings(path, TimeColumn: "date", Fill: fill) { Labels = SeriesCli.Labels }));
        Assert.DoesNotContain('\n', error.Message);
        Assert.StartsWith($"--data '{path}'", error.Message);
        Assert.Equal(text, File.ReadAllText(path));
        return error.Message;
    }

    [Fact]
    public void A_monthly_file_labels_every_value_and_the_forecast()
    {
        var series = Read("date,sales\n2010-10,1\n2010-11,2\n2010-12,3\n");

        var axis = Assert.IsType<TimeAxis.Dated>(series.Time);
        Assert.Equal((TimeFrequency.Monthly, DateFormat.YearMonth), (axis.Frequency, axis.Format));
        Assert.Equal(("2010-11", "date 2010-12", "2011-01", "2011-02"), (series.Label(1), series.Where(2), series.Beyond(1), series.Beyond(2)));
    }

    [Fact]
    public void Shuffled_rows_are_refused_naming_both_lines()
    {
        var message = Refused("date,v\n2020-01,1\n2020-03,3\n2020-02,2\n2020-04,4\n");
        Assert.EndsWith("line 4: date 2020-02 comes after 2020-03 on line 3; the rows must be in time order", message);

        // Line numbers are the file's: blank lines count.
        Assert.Contains("line 6: date 1871 comes after 1872 on line 4", Refused("date,v\n1870,1\n\n1872,2\n\n1871,3\n"));
    }

    [Fact]
    public void Duplicate_dates_are_refused_naming_both_lines()
    {
        Assert.EndsWith("lines 3 and 4: date 1959Q2 appears twice; each time may appear once, in order", Refused("date,v\n1959Q1,1\n1959Q2,2\n1959Q2,2\n1959Q3,3\n"));
        Assert.Contains("lines 2 and 3: date 1871 appears twice", Refused("date,v\n1871,1\n1871.0,2\n1872,3\n"));
    }

    [Fact]
    public void A_gap_is_refused_naming_it_and_suggesting_fill()
    {
        var message = Refused("date,v\n1950-01-31,1\n1950-02-28,2\n1950-05-31,5\n1950-06-30,6\n1950-08-31,8\n");

        Assert.EndsWith("line 4: date jumps from 1950-02-28 (line 3) to 1950-05-31, 2 months missing; 3 months missing in 2 gaps; give --fill linear to insert and interpolate them", message);
        Assert.Contains("line 4: date jumps from 19580330 (line 3) to 19580401, 1 day missing; give --fill linear", Refused("date,v\n19580329,1\n19580330,2\n19580401,4\n"));
    }

    [Fact]
    public void Fill_linear_inserts_the_missing_positions_and_interpolates_them()
    {
        var series = Read("date,v\n1950-01-31,1\n1950-02-28,2\n1950-05-31,5\n1950-06-30,\n1950-08-31,8\n", FillMethod.Linear);

        Assert.Equal([1f, 2, 3, 4, 5, 6, 7, 8], series.Values); // June is a missing value, July a missing date: both interpolated
        Assert.Equal((3L, 1), (series.Inserted, series.Filled));
        Assert.Equal(["1950-03-31", "1950-04-30", "1950-07-31"], [series.Label(2), series.Label(3), series.Label(6)]);
        Assert.Equal("1950-09-30", series.Beyond(1));
    }

    [Fact]
    public void Filling_is_bounded_by_the_values_read()
    {
        // A typo, 9150 for 1950: 7199 missing years from 4 values.
        var message = Refused("date,v\n1948,1\n1949,2\n9150,3\n9151,4\n", FillMethod.Linear);
        Assert.EndsWith("line 4: date jumps from 1949 (line 3) to 9150, 7200 years missing: more missing years than the 4 values read; check the date column", message);

        // As many missing as read is still filled.
        Assert.Equal(6, Read("date,v\n2000,1\n2001,2\n2005,6\n", FillMethod.Linear).Length);
    }

    [Fact]
    public void The_season_defaults_from_the_frequency_unless_given()
    {
        var monthly = Read("date,v\n" + string.Concat(Enumerable.Range(0, 40).Select(i => $"{2000 + (i / 12)}-{(i % 12) + 1:00},{i}\n")));
        var plan = SeriesWindows.Plan(monthly, 3, 0.2, season: null);
        Assert.Equal((12, true), (plan.Season, plan.SeasonFromFrequency));
        Assert.Equal((5, false), (SeriesWindows.Plan(monthly, 3, 0.2, season: 5).Season, SeriesWindows.Plan(monthly, 3, 0.2, season: 5).SeasonFromFrequency));

        // A default longer than the training part is left out, not refused; a given one is refused.
        Assert.Null(SeriesWindows.Plan(monthly, 3, 0.8, season: null).Season);
        Assert.Throws<SeriesDataException>(() => SeriesWindows.Plan(monthly, 3, 0.8, season: 12, labels: SeriesCli.Labels));

        var yearly = Read("date,v\n" + string.Concat(Enumerable.Range(0, 40).Select(i => $"{1900 + i},{i}\n")));
        Assert.Null(SeriesWindows.Plan(yearly, 3, 0.2, season: null).Season);
        var quarterly = Read("date,v\n" + string.Concat(Enumerable.Range(0, 40).Select(i => $"{1900 + (i / 4)}Q{(i % 4) + 1},{i}\n")));
        Assert.Equal(4, SeriesWindows.Plan(quarterly, 3, 0.2, season: null).Season);
    }

    /// <summary>Monthly rows from January 2000 (<paramref name="from"/> months later), each date written by <paramref name="write"/>.</summary>
    private static string Monthly(Func<int, int, string> write, int count = 30, int from = 0) =>
        "date,v\n" + string.Concat(Enumerable.Range(from, count).Select(i => $"{write(2000 + (i / 12), (i % 12) + 1)},{i}\n"));

    [Theory]
    [InlineData(" 00:00:00")]
    [InlineData("T00:00:00")]
    [InlineData("T00:00:00.000Z")]
    [InlineData("T00:00:00Z")]
    [InlineData(" 00:00")]
    [InlineData("T08:30:15.1234567+01:00")]
    [InlineData("T23:59-0530")]
    [InlineData("T12:00:00.5+01")]
    public void Date_times_at_one_time_of_day_are_dates_labelled_as_written(string time)
    {
        var series = Read(Monthly((y, m) => $"{y}-{m:00}-01{time}"));

        var axis = Assert.IsType<TimeAxis.Dated>(series.Time);
        Assert.Equal(TimeFrequency.Monthly, axis.Frequency);
        Assert.Equal(($"2000-02-01{time}", $"2002-06-01{time}", $"2002-07-01{time}"), (series.Label(1), series.Label(29), series.Beyond(1)));
        Assert.Equal((12, 12), (axis.DefaultSeason, SeriesSettings.HorizonFor(axis)));
    }

    [Fact]
    public void Date_times_get_the_gap_order_and_duplicate_checks_dates_get()
    {
        var rows = Monthly((y, m) => $"{y}-{m:00}-01 00:00:00", 6).Split('\n').ToList();
        Assert.EndsWith("line 4: date jumps from 2000-02-01 00:00:00 (line 3) to 2000-04-01 00:00:00, 1 month missing; give --fill linear to insert and interpolate them",
            Refused(string.Join('\n', rows.Where((_, i) => i != 3))));
        Assert.EndsWith("line 4: date 2000-02-01 00:00:00 comes after 2000-03-01 00:00:00 on line 3; the rows must be in time order",
            Refused(string.Join('\n', [rows[0], rows[1], rows[3], rows[2], .. rows[4..]])));
        Assert.EndsWith("lines 3 and 4: date 2000-02-01 00:00:00 appears twice; each time may appear once, in order",
            Refused(string.Join('\n', [rows[0], rows[1], rows[2], rows[2], .. rows[3..]])));

        var filled = Read(string.Join('\n', rows.Where((_, i) => i != 3)), FillMethod.Linear);
        Assert.Equal([0f, 1, 2, 3, 4, 5], filled.Values);
        Assert.Equal(1L, filled.Inserted);
        Assert.Equal("2000-03-01 00:00:00", filled.Label(2));
    }

    [Fact]
    public void A_daylight_saving_hour_is_the_same_time_of_day()
    {
        // 08:00Z in winter, 07:00Z in summer: one local time of day; labels as the input writes that month.
        var utc = Read(Monthly((y, m) => $"{y}-{m:00}-01T{(m is >= 4 and <= 10 ? "07" : "08")}:00:00.000Z"));
        Assert.Equal(TimeFrequency.Monthly, Assert.IsType<TimeAxis.Dated>(utc.Time).Frequency);
        Assert.Equal(("2000-01-01T08:00:00.000Z", "2000-04-01T07:00:00.000Z", "2002-07-01T07:00:00.000Z"), (utc.Label(0), utc.Label(3), utc.Beyond(1)));
        Assert.Equal("2002-11-01T08:00:00.000Z", utc.Beyond(5));

        // The same hour as an offset; and local midnight written in UTC, the evening before in summer.
        var offset = Read(Monthly((y, m) => $"{y}-{m:00}-01T00:00:00{(m is >= 4 and <= 10 ? "+02:00" : "+01:00")}"));
        Assert.Equal(("2000-04-01T00:00:00+02:00", "2002-12-01T00:00:00+01:00"), (offset.Label(3), offset.Beyond(6)));
        var evening = Read(Monthly((y, m) => m is >= 4 and <= 10
            ? $"{new DateOnly(y, m, 1).AddDays(-1):yyyy-MM-dd}T23:00:00Z"
            : $"{y}-{m:00}-01T00:00:00Z"));
        Assert.Equal(TimeFrequency.Monthly, Assert.IsType<TimeAxis.Dated>(evening.Time).Frequency);
        Assert.Equal(30, evening.Length);
        Assert.Equal(("2000-03-31T23:00:00Z", "2000-12-01T00:00:00Z", "2002-06-30T23:00:00Z"), (evening.Label(3), evening.Label(11), evening.Beyond(1)));
    }

    /// <summary>The <paramref name="n"/>-th (−1: last) Sunday of a month.</summary>
    private static DateOnly Sunday(int year, int month, int n)
    {
        var days = Enumerable.Range(1, DateTime.DaysInMonth(year, month)).Select(d => new DateOnly(year, month, d)).Where(d => d.DayOfWeek == DayOfWeek.Sunday).ToList();
        return n < 0 ? days[^1] : days[n - 1];
    }

    [Fact]
    public void Daily_labels_past_the_end_switch_hours_by_the_inputs_daylight_saving_rule()
    {
        // Berlin's local midnights in UTC (22:00Z or 23:00Z the evening before; summer from the last Sunday of March to the
        // last of October, whose midnights are still summer's), up to 2021-03-20: the labels switch on 2021-03-29 and 2021-11-01.
        static string Berlin(DateOnly d) => $"{d.AddDays(-1):yyyy-MM-dd}T{(d > Sunday(d.Year, 3, -1) && d <= Sunday(d.Year, 10, -1) ? "22" : "23")}:00:00.000Z";
        var first = new DateOnly(2019, 6, 1);
        var rows = Enumerable.Range(0, new DateOnly(2021, 3, 20).DayNumber - first.DayNumber + 1).Select(i => first.AddDays(i)).ToList();
        var series = Read("date,v\n" + string.Concat(rows.Select((d, i) => $"{Berlin(d)},{100 + (i % 7)}\n")));
        Assert.Equal(TimeFrequency.Daily, Assert.IsType<TimeAxis.Dated>(series.Time).Frequency);
        string Past(DateOnly d) => series.Beyond(d.DayNumber - rows[^1].DayNumber);
        Assert.Equal(("2021-03-27T23:00:00.000Z", "2021-03-28T22:00:00.000Z"), (Past(new DateOnly(2021, 3, 28)), Past(new DateOnly(2021, 3, 29))));
        Assert.Equal(("2021-10-30T22:00:00.000Z", "2021-10-31T23:00:00.000Z"), (Past(new DateOnly(2021, 10, 31)), Past(new DateOnly(2021, 11, 1))));
        Assert.Equal(("2024-03-30T23:00:00.000Z", "2024-03-31T22:00:00.000Z"), (Past(new DateOnly(2024, 3, 31)), Past(new DateOnly(2024, 4, 1))));
        Assert.All(Enumerable.Range(1, 1200), k => Assert.Equal(Berlin(rows[^1].AddDays(k)), series.Beyond(k)));

        // New York's, 04:00Z or 05:00Z on the day (the second Sunday of March to the first of November): its own rule.
        static string NewYork(DateOnly d) => $"{d:yyyy-MM-dd}T{(d > Sunday(d.Year, 3, 2) && d <= Sunday(d.Year, 11, 1) ? "04" : "05")}:00Z";
        var american = Read("date,v\n" + string.Concat(rows.Select((d, i) => $"{NewYork(d)},{100 + (i % 7)}\n")));
        Assert.All(Enumerable.Range(1, 1200), k => Assert.Equal(NewYork(rows[^1].AddDays(k)), american.Beyond(k)));

        // One switch only (none into the other time): no rule, each month's last time as before.
        var once = Read("date,v\n" + string.Concat(rows.Where(d => d >= new DateOnly(2020, 6, 1)).Select((d, i) => $"{Berlin(d)},{100 + (i % 7)}\n")));
        Assert.NotNull(Assert.IsType<TimeAxis.Dated>(series.Time).Times!.Daylight);
        Assert.Null(Assert.IsType<TimeAxis.Dated>(once.Time).Times!.Daylight);
    }

    [Fact]
    public void A_month_the_input_never_reached_takes_the_time_it_ends_at_and_a_rule_it_breaks_is_not_followed()
    {
        // Berlin's midnights with offsets from January to April 29: one switch, no rule; May on is still summer's +02:00
        // (the first row's +01:00 was May's until now).
        static string Offset(DateOnly d) => $"{d:yyyy-MM-dd}T00:00:00{(d > Sunday(d.Year, 3, -1) && d <= Sunday(d.Year, 10, -1) ? "+02:00" : "+01:00")}";
        var spring = Enumerable.Range(0, 120).Select(i => new DateOnly(2020, 1, 1).AddDays(i)).ToList();
        var series = Read("date,v\n" + string.Concat(spring.Select((d, i) => $"{Offset(d)},{100 + (i % 7)}\n")));
        Assert.Equal(("2020-04-30T00:00:00+02:00", "2020-05-01T00:00:00+02:00", "2020-10-25T00:00:00+02:00"), (series.Beyond(1), series.Beyond(2), series.Beyond(179)));

        // Mexico City's 06:00Z and 05:00Z (the first Sunday of April to the last of October), until the zone gave it up after
        // October 2022: the rule its switches fit would switch on 2023-04-02, which it went through. Its last time holds.
        static string Mexico(DateOnly d) => $"{d:yyyy-MM-dd}T{(d.Year < 2023 && d > Sunday(d.Year, 4, 1) && d <= Sunday(d.Year, 10, -1) ? "05" : "06")}:00:00Z";
        var days = Enumerable.Range(0, 900).Select(i => new DateOnly(2021, 1, 1).AddDays(i)).ToList();
        var mexico = Read("date,v\n" + string.Concat(days.Select((d, i) => $"{Mexico(d)},{100 + (i % 7)}\n")));
        Assert.Null(Assert.IsType<TimeAxis.Dated>(mexico.Time).Times!.Daylight);
        Assert.All(Enumerable.Range(1, 400), k => Assert.Equal($"{days[^1].AddDays(k):yyyy-MM-dd}T06:00:00Z", mexico.Beyond(k)));
    }

    [Fact]
    public void One_instant_written_in_two_offsets_is_one_time_of_day()
    {
        // Local midnight, written now as 23:00Z the evening before, now as 00:00+01:00: daily, each label as its row wrote it.
        var day = new DateOnly(2021, 1, 1);
        var text = "date,v\n" + string.Concat(Enumerable.Range(0, 30).Select(i => (i % 2 == 0
            ? $"{day.AddDays(i - 1):yyyy-MM-dd}T23:00:00Z"
            : $"{day.AddDays(i):yyyy-MM-dd}T00:00:00+01:00") + $",{100 + (i % 7)}\n"));
        var series = Read(text);
        var axis = Assert.IsType<TimeAxis.Dated>(series.Time);
        Assert.Equal(TimeFrequency.Daily, axis.Frequency);
        Assert.Equal(("2020-12-31T23:00:00Z", "2021-01-02T00:00:00+01:00"), (series.Label(0), series.Label(1)));
    }

    [Fact]
    public void A_column_that_starts_in_summer_keeps_its_labels()
    {
        // Local midnight written in UTC from a summer start: the first time (23:00Z, the evening before) is the reference.
        var series = Read(Monthly((y, m) => m is >= 4 and <= 10
            ? $"{new DateOnly(y, m, 1).AddDays(-1):yyyy-MM-dd}T23:00:00Z"
            : $"{y}-{m:00}-01T00:00:00Z", count: 25, from: 5));
        Assert.Equal(TimeFrequency.Monthly, Assert.IsType<TimeAxis.Dated>(series.Time).Frequency);
        Assert.Equal(("2000-05-31T23:00:00Z", "2000-12-01T00:00:00Z", "2002-06-30T23:00:00Z"), (series.Label(0), series.Label(6), series.Beyond(1)));

        // The calendar's last day as the next one is not a date.
        Assert.IsType<TimeAxis.Labelled>(Read("date,v\n9999-11-30T00:00Z,1\n9999-12-31T23:00Z,2\n").Time);
    }

    private static string Clock(Func<DateTime, string> write, TimeSpan step, int count, DateTime? from = null) =>
        "date,v\n" + string.Concat(Enumerable.Range(0, count).Select(i => $"{write((from ?? new DateTime(2020, 1, 1)) + (i * step))},{1 + (i % 7)}\n"));

    [Theory]
    [InlineData("yyyy-MM-dd'T'HH:mm:ss'Z'", 60, 24, "hourly", "2020-01-02T00:00:00Z", "2020-01-02T01:00:00Z")]
    [InlineData("yyyy-MM-dd HH:mm", 15, 96, "every 15 minutes", "2020-01-01 06:00", "2020-01-01 06:15")]
    [InlineData("yyyy-MM-dd'T'HH:mm", 30, 48, "every 30 minutes", "2020-01-01T12:00", "2020-01-01T12:30")]
    [InlineData("yyyy-MM-dd'T'HH:mm:ss.fff'+01:00'", 1, 60, "every minute", "2020-01-01T00:24:00.000+01:00", "2020-01-01T00:25:00.000+01:00")]
    [InlineData("yyyy-MM-dd'T'HH:mm:ss", 5, 12, "every 5 minutes", "2020-01-01T02:00:00", "2020-01-01T02:05:00")]
    [InlineData("yyyy-MM-dd'T'HH:mm", 120, 12, "every 2 hours", "2020-01-03T00:00", "2020-01-03T02:00")]
    public void Sub_daily_steps_are_dates_with_a_season_and_labels_as_written(string format, int minutes, int season, string described, string last, string next)
    {
        var step = TimeSpan.FromMinutes(minutes);
        var series = Read(Clock(t => t.ToString(format, System.Globalization.CultureInfo.InvariantCulture), step, 25));

        var axis = Assert.IsType<TimeAxis.Clocked>(series.Time);
        Assert.Equal((step, season, described), (axis.Step, axis.DefaultSeason, axis.Describe()));
        Assert.Equal((last, next), (series.Label(24), series.Beyond(1)));
        Assert.Equal(season, SeriesSettings.HorizonFor(series.Time));
    }

    /// <summary>Local times with their offset across the spring change: one hour apart as instants, labelled as written at the ends and in the last offset past them.</summary>
    [Fact]
    public void An_offset_that_changes_with_daylight_saving_is_still_hourly()
    {
        var text = "date,v\n2021-03-28T00:00:00+01:00,1\n2021-03-28T01:00:00+01:00,2\n2021-03-28T03:00:00+02:00,3\n2021-03-28T04:00:00+02:00,4\n";
        var series = Read(text);

        var axis = Assert.IsType<TimeAxis.Clocked>(series.Time);
        Assert.Equal((TimeSpan.FromHours(1), 4), (axis.Step, series.Length));
        Assert.Equal(("2021-03-28T00:00:00+01:00", "2021-03-28T03:00:00+02:00", "2021-03-28T05:00:00+02:00"), (series.Label(0), series.Label(2), series.Beyond(1)));
    }

    [Fact]
    public void A_sub_daily_gap_is_refused_in_the_columns_own_words_or_filled()
    {
        var rows = Clock(t => t.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture), TimeSpan.FromHours(1), 30).Split('\n').ToList();
        rows.RemoveRange(11, 3);
        var text = string.Join('\n', rows);

        Assert.EndsWith("line 12: date jumps from 2020-01-01 09:00 (line 11) to 2020-01-01 13:00, 3 hours missing; give --fill linear to insert and interpolate them", Refused(text));
        var filled = Read(text, FillMethod.Linear);
        Assert.Equal((30, 3L), (filled.Length, filled.Inserted));
        Assert.Equal("2020-01-01 11:00", filled.Label(11));
    }

    [Theory]
    [InlineData("2020-01-01T01:00Z", "lines 3 and 4: date 2020-01-01T01:00Z appears twice; each time may appear once, in order")]
    [InlineData("2020-01-01T02:00+01:00", "lines 3 and 4: date 2020-01-01T02:00+01:00 is the same time as 2020-01-01T01:00Z; each time may appear once, in order")]
    [InlineData("2020-01-01T00:30Z", "line 4: date 2020-01-01T00:30Z comes before 2020-01-01T01:00Z on line 3; the rows must be in time order")]
    public void A_repeated_or_earlier_time_is_refused(string cell, string message) =>
        Assert.EndsWith(message, Refused($"date,v\n2020-01-01T00:00Z,1\n2020-01-01T01:00Z,2\n{cell},3\n2020-01-01T03:00Z,4\n"));

    /// <summary>The longest of a day, an hour and a minute with at most 96 steps: never a window of thousands.</summary>
    [Theory]
    [InlineData(3600, 24)]
    [InlineData(900, 96)]
    [InlineData(2700, 32)]
    [InlineData(600, 6)]
    [InlineData(60, 60)]
    [InlineData(40, 90)]
    [InlineData(5, 12)]
    [InlineData(1, 60)]
    [InlineData(30, 2)]
    public void The_default_season_of_a_step_is_at_most_96(int seconds, int season)
    {
        var axis = new TimeAxis.Clocked("t", new DateTime(2020, 1, 1), TimeSpan.FromSeconds(seconds), new ClockFormat('T', true, 0, "Z"), ("a", "b"));

        Assert.Equal(season, axis.DefaultSeason);
        Assert.Equal(season, SeriesSettings.HorizonFor(axis));
    }

    [Fact]
    public void Sub_daily_rows_in_descending_order_are_refused() =>
        Assert.EndsWith("line 3: date 2020-01-01T02:00Z comes before 2020-01-01T03:00Z on line 2; the rows must be in time order",
            Refused("date,v\n2020-01-01T03:00Z,1\n2020-01-01T02:00Z,2\n2020-01-01T01:00Z,3\n2020-01-01T00:00Z,4\n"));

    [Fact]
    public void A_cell_that_is_not_a_date_time_in_a_sub_daily_column_is_named()
    {
        var text = Clock(t => t.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture), TimeSpan.FromHours(1), 20).Replace("2020-01-01 09:00", "garbage", StringComparison.Ordinal);
        var labels = Assert.IsType<TimeAxis.Labelled>(Read(text).Time);

        Assert.Equal("line 11 holds 'garbage', not a date-time like '2020-01-01 00:00'", labels.Why);
    }

    [Theory]
    [InlineData("irregular", new[] { 0, 7, 20, 33, 40 })]
    [InlineData("a step that does not divide a day", new[] { 0, 7, 14, 21, 28 })]
    public void Date_times_off_any_step_are_labels_that_say_why(string name, int[] minutes)
    {
        var text = "date,v\n" + string.Concat(minutes.Select((m, i) => $"2020-01-01T{m / 60:00}:{m % 60:00}:00,{i}\n"));
        var labels = Assert.IsType<TimeAxis.Labelled>(Read(text).Time);

        Assert.Contains("irregular date-times, not on a step that divides a day", labels.Why);
        Assert.DoesNotContain("\n", labels.Describe());
        Assert.True(labels.Why!.Length < 200, name);
    }

    [Fact]
    public void A_daily_column_with_one_cell_in_another_offset_names_that_row()
    {
        // 00:00+03:00 is 22 hours after the day before at 00:00+01:00: no step fits, and the labels say which row broke it.
        var rows = Enumerable.Range(0, 30).Select(i => $"{new DateOnly(2020, 1, 1).AddDays(i):yyyy-MM-dd}T00:00:00{(i == 14 ? "+03:00" : "+01:00")},{i}");
        var labels = Assert.IsType<TimeAxis.Labelled>(Read("date,v\n" + string.Join('\n', rows) + "\n").Time);

        Assert.Contains("line 16 is 22 hours after line 15, where most rows are 1 day apart", labels.Why);
    }

    [Fact]
    public void An_hourly_column_with_a_step_that_does_not_divide_a_day_says_so()
    {
        var text = "date,v\n" + string.Concat(Enumerable.Range(0, 12).Select(i => $"2020-01-01T00:00:00Z".Replace("00:00:00", $"{i * 7 % 24:00}:00:00", StringComparison.Ordinal).Replace("01T", $"{1 + (i * 7 / 24):00}T", StringComparison.Ordinal) + $",{i}\n"));
        var labels = Assert.IsType<TimeAxis.Labelled>(Read(text).Time);

        Assert.Contains("most rows are 7 hours apart", labels.Why);
    }

    [Fact]
    public void Whole_numbers_with_one_missing_are_a_gap_refused_or_filled_as_dates_are()
    {
        // 1 … 5, 7 … 10: one period missing, as a month missing from dates. It was labels, trained across the gap, its forecast labelled "10 +1".
        var text = "date,v\n" + string.Concat(new[] { 1, 2, 3, 4, 5, 7, 8, 9, 10 }.Select(t => $"{t},{t * 2}\n"));

        Assert.EndsWith("line 7: date jumps from 5 (line 6) to 7, 1 value missing; give --fill linear to insert and interpolate them", Refused(text));

        var filled = Read(text, FillMethod.Linear);
        var axis = Assert.IsType<TimeAxis.Numbered>(filled.Time);
        Assert.Equal((1.0, 1.0), (axis.Start, axis.Step));
        Assert.Equal(10, filled.Length);
        Assert.Equal(12f, filled.Values[5]); // between 10 and 14
        Assert.Equal("11", filled.Beyond(1));

        // Whole numbers past 15 digits keep every digit, in the gap's message and the labels.
        var big = "date,v\n" + string.Concat(new long[] { 0, 1, 2, 4, 5 }.Select(t => $"{1_000_000_000_000_000 + t},{t}\n"));
        Assert.Contains("date jumps from 1000000000000002 (line 4) to 1000000000000004", Refused(big));
        Assert.Equal("1000000000000006", Read(big, FillMethod.Linear).Beyond(1));

        // Up to 2^53 − 1, the forecast counts on past it in whole steps (a double would repeat 2^53).
        var edge = Read("date,v\n" + string.Concat(Enumerable.Range(0, 5).Select(i => $"{9007199254740987 + i},{i}\n")));
        Assert.Equal(["9007199254740992", "9007199254740993", "9007199254740994"], [edge.Beyond(1), edge.Beyond(2), edge.Beyond(3)]);

        // Off any step (1, 2, 4, 5, 7.5): labels, as before; whole numbers off their smallest step say where.
        Assert.IsType<TimeAxis.Labelled>(Read("date,v\n1,1\n2,2\n4,3\n5,4\n7.5,5\n").Time);
        var odd = Assert.IsType<TimeAxis.Labelled>(Read("date,v\n10,1\n12,2\n14,3\n17,4\n").Time);
        Assert.Contains("line 5 is 3 after line 4, where the smallest step is 2", odd.Why);
    }

    [Fact]
    public void A_date_then_a_date_time_is_labels()
    {
        var labels = Assert.IsType<TimeAxis.Labelled>(Read("date,v\n2020-01-01,1\n2020-02-01 00:00,2\n2020-03-01,3\n").Time);
        Assert.Contains("line 3 holds '2020-02-01 00:00', not a date like '2020-01-01'", labels.Why);
        Assert.IsType<TimeAxis.Labelled>(Read("date,v\n2020-01-01 00:00,1\n2020-02-01,2\n2020-03-01 00:00,3\n").Time);
    }

    [Theory]
    [InlineData("2020-01-01T24:00")]
    [InlineData("2020-01-01T00:60")]
    [InlineData("2020-01-01T00:00:00.12345678")]
    [InlineData("2020-01-01T00:00+1")]
    [InlineData("2020-01-01T00:00Zulu")]
    [InlineData("2020-01-01X00:00")]
    [InlineData("2020-1-01 00:00")]
    public void Malformed_date_times_are_not_dates(string cell) => Assert.False(DateText.TryParseDateTime(cell, out _));
}
