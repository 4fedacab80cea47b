using SimpleRnnTorch.Common;
using SimpleRnnTorch.Data;

namespace SimpleRnnTorch.Tests.Data;

/// <summary>The time column: each date format, each frequency, month ends and leap years, and what is not a calendar step.</summary>
public sealed class SeriesTimeAxisTests
{
    /// <summary>The axis of a column of cells, as the file reader feeds them (lines from 2, under a header).</summary>
    private static TimeAxis Axis(params string[] cells) => Axis(cells, out _);

    private static TimeAxis Axis(string[] cells, out TimeGaps? gaps)
    {
        var builder = new TimeAxisBuilder("date", "--data 'x.csv'");
        for (var i = 0; i < cells.Length; i++)
        {
            builder.Add(cells[i], i + 2);
        }

        return builder.Build(out gaps);
    }

    public static TheoryData<string, string[], string, string, string, string> Formats => new()
    {
        // name, cells, format, frequency, the 1st and the 13th label after the end
        { "ISO days", ["1958-03-29", "1958-03-30", "1958-03-31"], "IsoDate", "Daily", "1958-04-01", "1958-04-13" },
        { "ISO weeks", ["2001-12-15", "2001-12-22", "2001-12-29"], "IsoDate", "Weekly", "2002-01-05", "2002-03-30" },
        { "ISO months", ["2010-10-01", "2010-11-01", "2010-12-01"], "IsoDate", "Monthly", "2011-01-01", "2012-01-01" },
        { "ISO quarters", ["1959-01-01", "1959-04-01", "1959-07-01"], "IsoDate", "Quarterly", "1959-10-01", "1962-10-01" },
        { "ISO years", ["1950-06-30", "1951-06-30", "1952-06-30"], "IsoDate", "Yearly", "1953-06-30", "1965-06-30" },
        { "yyyyMMdd", ["19580329", "19580330", "19580331"], "Compact", "Daily", "19580401", "19580413" },
        { "year-month", ["2010-10", "2010-11", "2010-12"], "YearMonth", "Monthly", "2011-01", "2012-01" },
        { "year-month quarters", ["1959-01", "1959-04", "1959-07"], "YearMonth", "Quarterly", "1959-10", "1962-10" },
        { "years", ["1871", "1872", "1873"], "Year", "Yearly", "1874", "1886" },
        { "years as floats", ["1871.0", "1872.0", "1873.0"], "Year", "Yearly", "1874", "1886" },
        { "quarters", ["1959Q2", "1959Q3", "1959Q4"], "Quarter", "Quarterly", "1960Q1", "1963Q1" },
        { "dashed quarters", ["1959-Q3", "1959-Q4", "1960-Q1"], "DashQuarter", "Quarterly", "1960-Q2", "1963-Q2" },
        { "month ends", ["1950-01-31", "1950-02-28", "1950-03-31"], "IsoDate", "Monthly", "1950-04-30", "1951-04-30" },
        { "month ends over a leap year", ["1951-11-30", "1951-12-31", "1952-01-31"], "IsoDate", "Monthly", "1952-02-29", "1953-02-28" },
        { "quarter ends", ["1959-03-31", "1959-06-30", "1959-09-30"], "IsoDate", "Quarterly", "1959-12-31", "1962-12-31" },
        { "days over 29 February", ["2024-02-27", "2024-02-28", "2024-02-29"], "IsoDate", "Daily", "2024-03-01", "2024-03-13" },
        { "slashed days, year first", ["1958/03/29", "1958/03/30", "1958/03/31"], "SlashDate", "Daily", "1958/04/01", "1958/04/13" },
        { "slashed month ends", ["2015/01/31", "2015/02/28", "2015/03/31"], "SlashDate", "Monthly", "2015/04/30", "2016/04/30" },
        { "slashed year-month", ["2010/10", "2010/11", "2010/12"], "SlashYearMonth", "Monthly", "2011/01", "2012/01" },
        { "dotted days, day first", ["29.03.1958", "30.03.1958", "31.03.1958"], "DottedDate", "Daily", "01.04.1958", "13.04.1958" },
        { "dotted weeks", ["15.12.2001", "22.12.2001", "29.12.2001"], "DottedDate", "Weekly", "05.01.2002", "30.03.2002" },
        { "quarters as R writes them", ["1959 Q2", "1959 Q3", "1959 Q4"], "SpaceQuarter", "Quarterly", "1960 Q1", "1963 Q1" },
        { "months as tsibble writes them", ["2010 Oct", "2010 Nov", "2010 Dec"], "YearMonthName", "Monthly", "2011 Jan", "2012 Jan" },
        { "months as zoo writes them", ["Oct 2010", "Nov 2010", "Dec 2010"], "MonthNameYear", "Monthly", "Jan 2011", "Jan 2012" },
        { "quarters as zoo months", ["Jan 1959", "Apr 1959", "Jul 1959"], "MonthNameYear", "Quarterly", "Oct 1959", "Oct 1962" },
        { "months with an M", ["2010M10", "2010M11", "2010M12"], "LetterMonth", "Monthly", "2011M01", "2012M01" },
        { "months with an M and no leading zero", ["2010M7", "2010M8", "2010M9"], "ShortLetterMonth", "Monthly", "2010M10", "2011M10" },
        { "months with an M, no leading zero, from October", ["2010M11", "2010M12", "2011M1"], "ShortLetterMonth", "Monthly", "2011M2", "2012M2" },
        { "Stata months", ["2010m11", "2010m12", "2011m1"], "ShortLetterMonth", "Monthly", "2011m2", "2012m2" },
        { "Stata quarters", ["1959q2", "1959q3", "1959q4"], "Quarter", "Quarterly", "1960q1", "1963q1" },
        { "quarters in mixed case, labelled as the first", ["1959Q2", "1959q3", "1959Q4"], "Quarter", "Quarterly", "1960Q1", "1963Q1" },
        { "lower-case weeks", ["2020-w51", "2020-w52", "2020-w53"], "IsoWeek", "Weekly", "2021-w01", "2021-w13" },
        { "upper-case month names", ["OCT 2010", "NOV 2010", "DEC 2010"], "MonthNameYear", "Monthly", "JAN 2011", "JAN 2012" },
        { "lower-case month names", ["2010 oct", "2010 nov", "2010 dec"], "YearMonthName", "Monthly", "2011 jan", "2012 jan" },
        { "ISO weeks over a year of 53", ["2020-W51", "2020-W52", "2020-W53"], "IsoWeek", "Weekly", "2021-W01", "2021-W13" },
        { "weeks as tsibble writes them", ["2021 W50", "2021 W51", "2021 W52"], "SpaceWeek", "Weekly", "2022 W01", "2022 W13" },
    };

    /// <summary>Almost one of the formats above, but no such period: not a date (a first cell of it makes the column labels).</summary>
    [Theory]
    [InlineData("2021-W53")] // 2021 has 52 ISO weeks
    [InlineData("2021 W00")]
    [InlineData("2021-W5")]
    [InlineData("1959 Q5")]
    [InlineData("1959  Q1")]
    [InlineData("1959M13")]
    [InlineData("1959M001")]
    [InlineData("1959M0")]
    [InlineData("1959Mx")]
    [InlineData("Foo 1959")]
    [InlineData("1959 January")]
    public void Near_periods_are_not_dates(string cell) => Assert.Null(DateText.Detect(cell));

    /// <summary>Months with a leading zero cannot go on without one: 2010M09 then 2010M10 then 2011M1 is not a date column.</summary>
    [Fact]
    public void Months_with_a_leading_zero_do_not_go_on_without_one()
    {
        var axis = Assert.IsType<TimeAxis.Labelled>(Axis("2010M09", "2010M10", "2010M11", "2010M12", "2011M1"));
        Assert.Contains("line 6 holds '2011M1', not a date like '2010M09'", axis.Describe());
    }

    /// <summary>A week of 53 read, and written back, where the year has one; the week after it is the next year's first.</summary>
    [Fact]
    public void Iso_weeks_read_as_their_mondays()
    {
        Assert.True(DateText.TryParse("2020-W53", DateFormat.IsoWeek, out var monday));
        Assert.Equal(new DateOnly(2020, 12, 28), monday);
        Assert.True(DateText.TryParse("2021 W01", DateFormat.SpaceWeek, out var next));
        Assert.Equal(7, next.DayNumber - monday.DayNumber);
        Assert.Equal("2020-W53", DateText.Format(monday, DateFormat.IsoWeek));
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void Each_format_and_frequency_is_read_and_labels_continue_in_it(string name, string[] cells, string format, string frequency, string next, string thirteenth)
    {
        var axis = Assert.IsType<TimeAxis.Dated>(Axis(cells));

        Assert.True((format, frequency) == (axis.Format.ToString(), axis.Frequency.ToString()), $"{name}: {axis}");
        string AsWritten(string cell) => format == "Year" ? cell.Replace(".0", "") : cell; // 1871.0 is labelled 1871
        Assert.Equal(AsWritten(cells[0]), axis.Label(0, cells.Length));
        Assert.Equal(AsWritten(cells[^1]), axis.Label(cells.Length - 1, cells.Length));
        Assert.Equal((next, thirteenth), (axis.Beyond(1, cells.Length), axis.Beyond(13, cells.Length)));
    }

    /// <summary>Day and month in a local order (1/31/2020, 31-01-2020, 01/02/2020) are labels, and the reading says how to write them.</summary>
    [Theory]
    [InlineData("1/31/2020", "2/29/2020")]
    [InlineData("31/01/2020", "29/02/2020")]
    [InlineData("01/02/2020", "01/03/2020")]
    [InlineData("31-01-2020", "29-02-2020")]
    public void Dates_with_day_and_month_in_a_local_order_are_labels_that_say_how_to_write_them(string first, string second)
    {
        var axis = Assert.IsType<TimeAxis.Labelled>(Axis(first, second));
        Assert.Equal($"labels only: '{first}' has its day and month in a local order (month first in the US, day first elsewhere), which is not read: write dates year first, as 2020-01-31 or 2020/01/31, or as 31.01.2020", axis.Describe());
        Assert.Null(TimeAxisBuilder.WhyNotADate("1/2"));
        Assert.Null(TimeAxisBuilder.WhyNotADate("12.5"));
        Assert.Null(TimeAxisBuilder.WhyNotADate("1900.5"));
        Assert.Null(TimeAxisBuilder.WhyNotADate("1950-51")); // a fiscal year
        Assert.Null(TimeAxisBuilder.WhyNotADate("2020-123456789012")); // digits past an int: no reason, and no overflow
        Assert.Null(TimeAxisBuilder.WhyNotADate("value"));
    }

    /// <summary>A first cell that is almost a date says so, rather than the column quietly becoming labels.</summary>
    [Theory]
    [InlineData("1958-3-29")]
    [InlineData("2015-02-30")]
    [InlineData("2015/13/01")]
    [InlineData("29.3.1958")]
    public void A_first_cell_that_is_almost_a_date_says_why_the_column_is_labels(string first)
    {
        var axis = Assert.IsType<TimeAxis.Labelled>(Axis(first, "1958-04-29"));
        Assert.Equal($"labels only: '{first}' is not a date as read (months and days of two digits, on a day that exists: 1958-03-29, 1958/03, 29.03.1958)", axis.Describe());
    }

    [Fact]
    public void Month_ends_stay_month_ends_and_a_day_of_the_month_stays_that_day()
    {
        var ends = Assert.IsType<TimeAxis.Dated>(Axis("1950-01-31", "1950-02-28", "1950-03-31", "1950-04-30"));
        Assert.True(ends.MonthEnds);
        Assert.Equal(["1950-01-31", "1950-02-28", "1950-03-31", "1950-04-30", "1950-05-31", "1950-06-30"], Enumerable.Range(0, 6).Select(i => ends.Label(i, 4)));

        // The 15th: not month ends; 31 January + 1 month is the end of February, and the 31st after it.
        var fifteenth = Assert.IsType<TimeAxis.Dated>(Axis("2023-12-15", "2024-01-15"));
        Assert.Equal(("2024-02-15", false), (fifteenth.Beyond(1, 2), fifteenth.MonthEnds));
        var thirtyFirst = Assert.IsType<TimeAxis.Dated>(Axis("2023-01-31", "2024-01-31"));
        Assert.Equal(TimeFrequency.Yearly, thirtyFirst.Frequency);
        Assert.Equal("2025-01-31", thirtyFirst.Beyond(1, 2));
    }

    [Theory]
    [InlineData("Daily", 7)]
    [InlineData("Weekly", 52)]
    [InlineData("Monthly", 12)]
    [InlineData("Quarterly", 4)]
    [InlineData("Yearly", null)]
    public void The_default_season_follows_the_frequency(string frequency, int? season) =>
        Assert.Equal(season, new TimeAxis.Dated("date", Enum.Parse<TimeFrequency>(frequency), new DateOnly(2000, 1, 1), DateFormat.IsoDate).DefaultSeason);

    [Fact]
    public void Numbers_on_a_step_that_are_not_dates_stay_numbers()
    {
        Assert.Equal(new TimeAxis.Numbered("date", 1, 1), Axis("1", "2", "3"));
        Assert.Equal(new TimeAxis.Numbered("date", 1900, 10), Axis("1900", "1910", "1920")); // years, but ten apart
        Assert.Equal(new TimeAxis.Numbered("date", 0.5, 0.25, Decimals: 1), Axis("0.5", "0.75", "1"));
        Assert.Null(Axis("1", "2", "3").DefaultSeason);
        Assert.Equal("2030", Axis("1900", "1910", "1920").Beyond(11, 3));

        // Labels past the end keep the decimals the column was written with (4.9, then 5.0), where the value needs no more.
        var tenths = Axis([.. Enumerable.Range(1, 40).Select(i => (i / 10.0).ToString("F1", System.Globalization.CultureInfo.InvariantCulture))]);
        Assert.Equal(["4.1", "4.9", "5.0", "10.0"], new[] { 1, 9, 10, 60 }.Select(k => tenths.Beyond(k, 40)));
        Assert.Equal(["1.25", "1.5"], new[] { 1, 2 }.Select(k => Axis("0.5", "0.75", "1").Beyond(k, 3)));
        Assert.Equal(("2", "4.0", "41.0"), (Axis("1.0", "2.0", "3.0").Label(1, 3)!, Axis("1.0", "2.0", "3.0").Beyond(1, 3), Axis("1.0", "2.0", "3.0").Beyond(38, 3)));
        Assert.Equal("4", tenths.Label(39, 40)); // inside the input, as before: the value's own digits
    }

    [Theory]
    [InlineData(new[] { "1", "2", "2", "3" }, "--data 'x.csv' lines 3 and 4: date 2 appears twice; each time may appear once, in order")]
    [InlineData(new[] { "40", "39", "38" }, "--data 'x.csv' line 3: date 39 comes after 40 on line 2; the rows must be in time order")]
    [InlineData(new[] { "1", "2", "5", "4.5" }, "--data 'x.csv' line 5: date 4.5 comes after 5 on line 4; the rows must be in time order")]
    public void Numbers_that_repeat_or_go_back_are_refused_as_dates_are(string[] cells, string expected) =>
        Assert.Equal(expected, Assert.Throws<SeriesDataException>(() => Axis(cells)).Message);

    public static TheoryData<string[], string?> Labels => new()
    {
        { ["a", "b", "c"], null },
        { ["1", "2", "4.5"], null },
        { ["2024-01-05", "2024-01-08", "2024-01-09"], "business days" },                 // Friday, Monday, Tuesday: no weekend at all
        { ["2020-01-01", "2020-01-03", "2020-01-06"], "irregular dates" },               // 2 days, then 3
        { ["2020-01-01", "2020-07-01", "2021-01-01"], "irregular dates" },               // half-years
        { ["2020-01", "2020-02", "total"], "line 4 holds 'total', not a date like '2020-01'" },
        { ["2020-01-01", "2020-01-02", "2020-01-03T00:00"], "not a date" },
    };

    [Theory]
    [MemberData(nameof(Labels))]
    public void Other_columns_are_labels_and_say_why_when_they_started_as_dates(string[] cells, string? why)
    {
        var axis = Assert.IsType<TimeAxis.Labelled>(Axis(cells));

        Assert.Equal((cells[0], cells[^1], $"{cells[^1]} +2"), (axis.Label(0, 3), axis.Label(2, 3), axis.Beyond(2, 3)));
        Assert.Null(axis.Label(1, 3));
        Assert.Null(axis.DefaultSeason);
        if (why is null)
        {
            Assert.Null(axis.Why);
        }
        else
        {
            Assert.Contains(why, axis.Why);
        }
    }

    [Fact]
    public void A_non_date_cell_is_shown_as_a_short_printable_excerpt()
    {
        var axis = Assert.IsType<TimeAxis.Labelled>(Axis("2020-01", "2020-02", "x\u0007" + new string('y', 100)));
        Assert.Contains($"'{Excerpt.Of("x\u0007" + new string('y', 100))}'", axis.Why);
        Assert.Contains("'x\\x07yyy", axis.Why); // the bell escaped, not written to the terminal
        Assert.True(axis.Why!.Length < 120, axis.Why);
    }

    [Fact]
    public void Gaps_are_positions_the_step_skips()
    {
        Axis(["1950-01", "1950-02", "1950-05", "1950-06", "1950-08"], out var gaps);

        Assert.NotNull(gaps);
        Assert.Equal((3L, 2), (gaps.Missing, gaps.Count));
        Assert.Equal(new TimeGaps.Gap(Line: 4, PreviousLine: 3, Before: 1, Missing: 2), gaps.FirstGap);
        Assert.Equal([1f, 2, float.NaN, float.NaN, 5, 6, float.NaN, 8], gaps.Spread([1f, 2, 5, 6, 8]));

        Axis(["2001-12-01", "2001-12-15", "2001-12-22"], out var weekly);
        Assert.Equal((1L, 1), (weekly!.Missing, weekly.Count));
        Axis(["2001-12-01", "2001-12-02"], out var none);
        Assert.Null(none);
    }

    [Fact]
    public void A_gap_before_the_smallest_step_is_still_a_gap()
    {
        // The first difference is two months; the step is the smallest, one month.
        var axis = Axis(["1950-01", "1950-03", "1950-04", "1950-05"], out var gaps);

        Assert.Equal(TimeFrequency.Monthly, Assert.IsType<TimeAxis.Dated>(axis).Frequency);
        Assert.Equal(new TimeGaps.Gap(3, 2, 0, 1), gaps!.FirstGap);
    }

    [Fact]
    public void Many_irregular_differences_make_labels_in_bounded_memory()
    {
        // Alternating 1 and 2 days: a run per difference until the limit, then labels.
        var cells = new List<string>();
        var date = new DateOnly(2000, 1, 1);
        for (var i = 0; i < (2 * TimeAxisBuilder.MaxRuns) + 10; i++)
        {
            cells.Add(date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
            date = date.AddDays(i % 2 == 0 ? 1 : 3);
        }

        Assert.IsType<TimeAxis.Labelled>(Axis([.. cells]));
    }
}
