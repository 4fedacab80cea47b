using SimpleRnnTorch.Cli.Sources;
using SimpleRnnTorch.Data;

namespace SimpleRnnTorch.Tests.Data;

/// <summary>Many series in one file: long (interleaved rows) and wide (named columns, all, ragged), each with its own time axis, and every refusal in one line.</summary>
public sealed class PanelFileTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    private string Write(string text)
    {
        var path = temp.File($"panel-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, text);
        return path;
    }

    private PanelFile.Panel Read(string text, PanelLayout layout, string? time = "date", FillMethod fill = FillMethod.None) =>
        PanelFile.Read(new PanelSettings(Write(text), layout, time, fill) { Labels = SeriesCli.Labels });

    private string Refused(string text, PanelLayout layout, string? time = "date", FillMethod fill = FillMethod.None)
    {
        var path = Write(text);
        var error = Assert.Throws<SeriesDataException>(() => PanelFile.Read(new PanelSettings(path, layout, time, fill) { Labels = SeriesCli.Labels }));
        Assert.DoesNotContain('\n', error.Message);
        Assert.Contains($"--data '{path}'", error.Message);
        Assert.Equal(text, File.ReadAllText(path));
        return error.Message;
    }

    private static string[] Labels(Series series) => [.. Enumerable.Range(0, series.Length).Select(i => series.Label(i))];

    /// <summary>Two id columns: a series per pair, named by the pair joined, its ids kept for forecast.csv; the same id under another first id is another series.</summary>
    [Fact]
    public void Several_id_columns_make_a_series_per_combination()
    {
        const string text = "store,product,date,v\n" +
                            "1,a,2020-01,10\n" +
                            "1, b ,2020-01,20\n" +
                            "2,a,2020-01,30\n" +
                            "1,a,2020-02,11\n" +
                            "1,b,2020-02,21\n" +
                            "2,a,2020-02,31\n";

        var panel = Read(text, new PanelLayout.Long(["store", "product"], "v"));

        Assert.Equal(["store", "product"], panel.Ids.Names);
        Assert.Equal("by store and product", panel.By);
        Assert.Equal(["1/a", "1/b", "2/a"], panel.Series.Select(s => s.Name));
        Assert.Equal(["1", "b"], panel.Ids.Of("1/b")); // trimmed, as a single id is
        Assert.Equal([[10f, 11], [20f, 21], [30f, 31]], panel.Series.Select(s => s.Values));
        Assert.Equal("by series", Read("series,date,v\nA,2020-01,1\nA,2020-02,2\n", new PanelLayout.Long("series", "v")).By); // an id column so named: still ids
    }

    [Fact]
    public void Several_id_columns_refuse_an_empty_id_and_two_pairs_that_join_alike()
    {
        Assert.EndsWith("line 3: product is empty; every row needs the id of its series (give it one, or remove the row)",
            Refused("store,product,date,v\n1,a,2020-01,1\n1,,2020-01,2\n", new PanelLayout.Long(["store", "product"], "v")));
        Assert.EndsWith("line 3: store and product '1/a', 'b' and '1', 'a/b' both make the series name '1/a/b'; replace the '/' in the ids, which joins them",
            Refused("store,product,date,v\n1,a/b,2020-01,1\n1/a,b,2020-02,2\n", new PanelLayout.Long(["store", "product"], "v")));
        Assert.Equal(2, Read("store,product,date,v\n1,a/b,2020-01,1\n1,a/b,2020-02,2\n", new PanelLayout.Long(["store", "product"], "v")).Series[0].Length); // a '/' alone is no clash
    }

    [Fact]
    public void A_long_file_may_interleave_its_series_which_keep_the_order_they_first_appear()
    {
        const string text = "id,date,v,w\n" +
                            "B,2020-01,10,-1\n" +
                            "A,2020-01,1,-2\n" +
                            "B,2020-02,20,-3\n" +
                            "A,2020-02,2,-4\n" +
                            "C,2020-03,300,-5\n" +
                            "B,2020-03,30,-6\n" +
                            "A,2020-03,3,-7\n" +
                            "C,2020-04,400,-8\n";

        var panel = Read(text, new PanelLayout.Long("id", "v"));

        Assert.Equal(["id"], panel.Ids.Names);
        Assert.Equal((',', true), (panel.Separator, panel.HasHeader));
        Assert.Equal(["B", "A", "C"], panel.Series.Select(s => s.Name));
        Assert.Equal([10f, 20, 30], panel.Series[0].Values);
        Assert.Equal([1f, 2, 3], panel.Series[1].Values);
        Assert.Equal([300f, 400], panel.Series[2].Values);
        Assert.Equal(["2020-01", "2020-02", "2020-03"], Labels(panel.Series[0]));
        Assert.Equal(["2020-03", "2020-04"], Labels(panel.Series[2])); // C's own axis: it starts later
        Assert.Equal(("2020-05", "2020-04"), (panel.Series[2].Beyond(1), panel.Series[1].Beyond(1)));
        var axis = Assert.IsType<TimeAxis.Dated>(panel.Series[1].Time);
        Assert.Equal(("date", TimeFrequency.Monthly), (axis.Name, axis.Frequency));

        // Without a value column: the last numeric one.
        var last = Read(text, new PanelLayout.Long("id", null));
        Assert.Equal([-2f, -4, -7], last.Series[1].Values);
    }

    [Fact]
    public void A_wide_file_reads_the_named_columns_in_the_order_named()
    {
        const string text = "date,A,note,B,C\n" +
                            "2000-01-31,1,x,10,100\n" +
                            "2000-02-29,2,y,20,200\n" +
                            "2000-03-31,3,z,30,300\n" +
                            "2000-04-30,4,w,40,400\n";

        var panel = Read(text, PanelLayout.WideOf("C, A,3"));

        Assert.Equal([PanelLayout.WideIdName], panel.Ids.Names);
        Assert.Equal(["C", "A", "B"], panel.Series.Select(s => s.Name)); // "3" is B, by index
        Assert.Equal([100f, 200, 300, 400], panel.Series[0].Values);
        Assert.Equal([1f, 2, 3, 4], panel.Series[1].Values);
        Assert.Equal([10f, 20, 30, 40], panel.Series[2].Values);
        Assert.All(panel.Series, s => Assert.Equal(["2000-01-31", "2000-02-29", "2000-03-31", "2000-04-30"], Labels(s)));
        Assert.Equal("2000-05-31", panel.Series[2].Beyond(1));
    }

    [Fact]
    public void All_reads_every_numeric_column_but_the_time_column()
    {
        // The years are numbers: all must still leave the time column out, and the text column.
        const string text = "year,note,A,B\n" +
                            "1990,x,1,10\n" +
                            "1991,y,2,20\n" +
                            "1992,z,3,30\n";

        var panel = Read(text, PanelLayout.WideOf(" all "), time: "year");

        Assert.Null(PanelLayout.WideOf("all").Columns);
        Assert.Equal(["A", "B"], panel.Series.Select(s => s.Name));
        Assert.Equal([10f, 20, 30], panel.Series[1].Values);
        Assert.Equal(["1990", "1991", "1992"], Labels(panel.Series[0]));
    }

    private const string Ragged = "date,A,B,C\n" +
                                  "2020-01,1,,5\n" +
                                  "2020-02,2,,6\n" +
                                  "2020-03,3,30,7\n" +
                                  "2020-04,4,40,\n" +
                                  "2020-05,5,50,NA\n";

    [Fact]
    public void Blanks_before_a_columns_first_value_and_after_its_last_make_it_shorter_not_missing()
    {
        var panel = Read(Ragged, PanelLayout.WideOf("all"));

        Assert.Equal(["A", "B", "C"], panel.Series.Select(s => s.Name));
        Assert.Equal([1f, 2, 3, 4, 5], panel.Series[0].Values);
        Assert.Equal([30f, 40, 50], panel.Series[1].Values);
        Assert.Equal(["2020-03", "2020-04", "2020-05"], Labels(panel.Series[1]));
        Assert.Equal([5f, 6, 7], panel.Series[2].Values);
        Assert.Equal(["2020-01", "2020-02", "2020-03"], Labels(panel.Series[2]));
        Assert.Equal("2020-04", panel.Series[2].Beyond(1)); // C's forecast starts after its own last value
        Assert.All(panel.Series, s => Assert.Equal((0, 0L), (s.Filled, s.Inserted)));
    }

    [Fact]
    public void A_blank_between_two_values_is_missing_refused_without_fill_and_interpolated_with_linear()
    {
        var text = Ragged.Replace("2020-04,4,40,", "2020-04,4,,", StringComparison.Ordinal);

        Assert.EndsWith("line 5: B is missing (an empty cell); give --fill linear to interpolate missing values", Refused(text, PanelLayout.WideOf("A,B,C")));

        var panel = Read(text, PanelLayout.WideOf("A,B,C"), fill: FillMethod.Linear);
        Assert.Equal([30f, 40, 50], panel.Series[1].Values);
        Assert.Equal(1, panel.Series[1].Filled);
        Assert.Equal(["2020-03", "2020-04", "2020-05"], Labels(panel.Series[1]));
        Assert.Equal([5f, 6, 7], panel.Series[2].Values); // C's trailing blanks are still no missing values
        Assert.Equal(0, panel.Series[2].Filled);
    }

    [Fact]
    public void Hourly_date_times_give_each_series_its_own_clock()
    {
        var start = new DateTime(2024, 3, 1, 22, 0, 0);
        var rows = Enumerable.Range(0, 6).SelectMany(i => (string[])[$"north,{start.AddHours(i):yyyy-MM-dd HH:mm},{i}", .. i >= 2 ? [$"south,{start.AddHours(i):yyyy-MM-dd HH:mm},{10 * i}"] : Array.Empty<string>()]);
        var panel = Read("site,time,load\n" + string.Join('\n', rows) + "\n", new PanelLayout.Long("site", "load"), time: "time");

        Assert.Equal(["north", "south"], panel.Series.Select(s => s.Name));
        var north = panel.Series[0];
        var axis = Assert.IsType<TimeAxis.Clocked>(north.Time);
        Assert.Equal(("hourly", 24), (axis.Describe(), axis.DefaultSeason));
        Assert.Equal(["2024-03-01 22:00", "2024-03-01 23:00", "2024-03-02 00:00", "2024-03-02 01:00", "2024-03-02 02:00", "2024-03-02 03:00"], Labels(north));
        Assert.Equal("2024-03-02 04:00", north.Beyond(1));
        var south = panel.Series[1];
        Assert.Equal([20f, 30, 40, 50], south.Values);
        Assert.Equal(("2024-03-02 00:00", "2024-03-02 03:00", "2024-03-02 05:00"), (south.Label(0), south.Label(3), south.Beyond(2)));
    }

    [Fact]
    public void An_unknown_id_column_is_refused_naming_it()
    {
        var message = Refused("id,date,v\nA,2020-01,1\nA,2020-02,2\n", new PanelLayout.Long("site", null));

        Assert.StartsWith("--id-column 'site' is not a column of --data", message);
        Assert.Contains("'id', 'date', 'v'", message);
    }

    [Fact]
    public void A_repeated_id_and_date_is_refused_naming_both_lines_and_the_series()
    {
        // The same date in two series is the normal case; twice in one series is not, even with other rows between.
        const string text = "id,date,v\nA,2020-01,1\nB,2020-01,5\nA,2020-02,2\nB,2020-02,6\nA,2020-02,3\n";

        var message = Refused(text, new PanelLayout.Long("id", "v"));

        Assert.Contains("(id 'A')", message);
        Assert.Contains("lines 4 and 6: date 2020-02 appears twice; each time may appear once, in order", message);
        // Two series under one id read so too: the message says what else it may mean.
        Assert.EndsWith("in order (or, if id does not tell the series apart, give --id-column every column that does: A,B)", message);
    }

    [Fact]
    public void A_row_without_an_id_is_refused_naming_its_line()
    {
        // Gathered under a made-up "(empty)" it was a series the file does not have, and clashed with a real id of that name.
        const string text = "id,date,v\nA,2020-01,1\nA,2020-02,2\n,2020-01,5\n  ,2020-02,6\n";

        Assert.EndsWith("line 4: id is empty; every row needs the id of its series (give it one, or remove the row)", Refused(text, new PanelLayout.Long("id", "v")));
    }

    [Fact]
    public void A_bad_value_in_a_long_file_names_the_value_column_and_the_series()
    {
        const string text = "id,date,v\nA,2020-01,1\nA,2020-02,oops\nB,2020-01,5\nB,2020-02,\n";

        var message = Refused(text, new PanelLayout.Long("id", "v"));

        Assert.Contains("(id 'A') line 3: v holds 'oops', not a number", message);
        Assert.Contains("(id 'B') line 3: v is missing", Refused("id,date,v\nB,2020-01,5\nB,2020-02,\nB,2020-03,7\n", new PanelLayout.Long("id", "v")));
    }

    [Fact]
    public void Series_of_different_steps_are_refused_naming_two_of_them()
    {
        const string text = "id,date,v\n" +
                            "M,2020-01-01,1\nM,2020-02-01,2\nM,2020-03-01,3\nM,2020-04-01,4\n" +
                            "Q,2020-01-01,1\nQ,2020-04-01,2\nQ,2020-07-01,3\n";

        var message = Refused(text, new PanelLayout.Long("id", "v"));

        Assert.EndsWith(": M is monthly, Q quarterly; the series of one file must share one step", message);
    }

    /// <summary>
    /// Business days: a series listed this week (Monday to Friday, no weekend skipped yet) reads as daily on its own; beside
    /// series on business days it is on business days too. With weekend dates, or beside no business-day series, it stays daily.
    /// </summary>
    [Fact]
    public void A_weekday_only_daily_series_beside_business_day_ones_is_on_business_days()
    {
        static string Rows(string id, DateOnly from, int days) =>
            string.Concat(Enumerable.Range(0, days).Select(i => from.AddDays(i)).Where(d => d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
                .Select((d, i) => $"{id},{d:yyyy-MM-dd},{10 + i}\n"));
        var text = "id,date,v\n" + Rows("OLD", new DateOnly(2024, 1, 1), 28) + Rows("NEW", new DateOnly(2024, 1, 22), 5);

        var panel = Read(text, new PanelLayout.Long("id", "v"));

        Assert.All(panel.Series, s => Assert.Equal(new TimeAxis.Labelled("date", s.Time!.Label(0, s.Length)!, s.Time.Label(s.Length - 1, s.Length)!, TimeAxisBuilder.BusinessDays), s.Time));
        Assert.Equal(["2024-01-22", "2024-01-26"], new[] { panel.Series[1].Label(0), panel.Series[1].Label(4) });
        Assert.Equal(5, panel.Series[1].Length);

        // A weekend date makes it daily, which the business-day series do not share.
        var weekend = "id,date,v\n" + Rows("OLD", new DateOnly(2024, 1, 1), 28) + "NEW,2024-01-26,1\nNEW,2024-01-27,2\nNEW,2024-01-28,3\n";
        Assert.EndsWith("NEW daily; the series of one file must share one step", Refused(weekend, new PanelLayout.Long("id", "v")));

        // Daily series alone stay daily.
        Assert.All(Read("id,date,v\n" + Rows("A", new DateOnly(2024, 1, 22), 5) + Rows("B", new DateOnly(2024, 1, 22), 5), new PanelLayout.Long("id", "v")).Series,
            s => Assert.IsType<TimeAxis.Dated>(s.Time));
    }

    /// <summary>Numbers written with commas are named, not passed over: a long file's default value column, a wide file's `all`.</summary>
    [Fact]
    public void Numbers_written_with_commas_are_refused_naming_them()
    {
        var longFile = Refused("id;Jahr;Wert\nA;1950;100,00\nA;1951;101,50\nA;1952;102,25\n", new PanelLayout.Long("id", null), time: null);
        Assert.EndsWith("line 2 holds '100,00', a number written with a comma (a decimal comma or a thousands separator): numbers are read with '.' as the decimal point and no separators (12.5, 2000), so save the file that way", longFile);

        // Left of the values (a code column), it is not the default's business.
        Assert.Equal(3, Read("id;code;Wert\nA;10,5;100.5\nA;10,6;101\nA;10,7;102\n", new PanelLayout.Long("id", null), time: null).Series[0].Length);

        // A wide file's `all` reads its numeric columns (a column of codes 10,5 is not one); with none, the comma is named.
        Assert.Single(Read("Datum;A;code\n01.01.2015;1.5;10,5\n02.01.2015;1.6;10,6\n03.01.2015;1.7;10,7\n", new PanelLayout.Wide(null), time: "Datum").Series);
        var wide = Refused("Datum;A;B\n01.01.2015;1,5;2.000,0\n02.01.2015;1,6;2.104,5\n03.01.2015;1,7;2.200,0\n", new PanelLayout.Wide(null), time: "Datum");
        Assert.Contains("holds '1,5', a number written with a comma", wide);
    }

    /// <summary>Series that are all labels share a step, whatever made each one labels (here each its own first cell, in a local date order).</summary>
    [Fact]
    public void Series_all_labelled_for_their_own_reasons_share_a_step()
    {
        const string text = "id,date,v\n" +
                            "A,1/31/2020,1\nA,2/29/2020,2\nA,3/31/2020,3\n" +
                            "B,4/30/2020,1\nB,5/31/2020,2\nB,6/30/2020,3\n";

        var panel = Read(text, new PanelLayout.Long("id", "v"));

        Assert.All(panel.Series, s => Assert.IsType<TimeAxis.Labelled>(s.Time));
        Assert.NotEqual(((TimeAxis.Labelled)panel.Series[0].Time!).Why, ((TimeAxis.Labelled)panel.Series[1].Time!).Why);
    }

    [Fact]
    public void A_series_made_labels_by_one_cell_is_refused_naming_that_cell()
    {
        // A's third date is blank: A is labels, B monthly; the refusal says which cell made A labels.
        const string text = "id,date,v\n" +
                            "A,2020-01,1\nA,2020-02,2\nA,,3\nA,2020-04,4\n" +
                            "B,2020-01,1\nB,2020-02,2\nB,2020-03,3\nB,2020-04,4\n";

        var message = Refused(text, new PanelLayout.Long("id", "v"));

        Assert.EndsWith(": A is labelled (line 4 holds '', not a date like '2020-01'), B monthly; the series of one file must share one step", message);
    }

    [Fact]
    public void A_series_of_two_values_is_refused_off_the_step_only_where_the_run_would_forecast_it()
    {
        // Q's two dates a quarter apart in a monthly file: a gap, not a step, so the read does not refuse it (R's one date tells
        // no step either). Left out, shorter than the window of 12, it is no trouble.
        const string text = "id,date,v\n" +
                            "M,2020-01-01,1\nM,2020-02-01,2\nM,2020-03-01,3\nM,2020-04-01,4\n" +
                            "Q,2020-01-01,7\nQ,2020-04-01,8\nR,2021-06-01,9\n";
        var panel = Read(text, new PanelLayout.Long("id", "v"));
        Assert.Equal(["M", "Q", "R"], panel.Series.Select(s => s.Name));
        Assert.Equal([4, 2, 1], panel.Series.Select(s => s.Length));
        Assert.Equal("2021-06-01", panel.Series[2].Label(0));

        var months = "id,date,v\n" + string.Join("\n", new[] { "A", "B", "C" }.SelectMany(id => Enumerable.Range(0, 8).Select(i => $"{id},2020-{i + 1:00},{100 + i}")));
        var left = Plan(months + "\nQ,2020-01,7\nQ,2020-04,8\n", window: 3);
        Assert.Equal(["Q"], left.Skipped.Select(s => s.Name));

        // Forecast with a window of 2, its labels would run a quarter a step: refused, naming both.
        var path = Write(months + "\nQ,2020-01,7\nQ,2020-04,8\n");
        var source = new SimpleRnnTorch.Sources.PanelData(new PanelSettings(path, new PanelLayout.Long("id", "v"), "date") { Labels = SeriesCli.Labels }, Window: 2);
        var error = Assert.Throws<SeriesDataException>(() => source.PlanFor(PanelFile.Read(source.Settings), 0.2));
        Assert.Contains("A is monthly, Q quarterly (its only two values, at 2020-01 and 2020-04); the series of one file must share one step", error.Message);

        // A month apart, it is forecast on the file's step.
        var kept = Plan(months + "\nQ,2020-07,7\nQ,2020-08,8\n", window: 2);
        Assert.Equal("2020-10", Assert.Single(kept.ForecastOnly).Beyond(2));

        // One value tells no step: forecast with a window of 1, it takes the file's (its labels read "2020-08 +1" before).
        var one = Plan(months + "\nR,2020-08,9\n", window: 1);
        Assert.Equal(["2020-08", "2020-09", "2020-10"], new[] { Assert.Single(one.ForecastOnly).Label(0), one.ForecastOnly[0].Beyond(1), one.ForecastOnly[0].Beyond(2) });
    }

    private SimpleRnnTorch.Sources.PanelData.Plan Plan(string text, int window)
    {
        var source = new SimpleRnnTorch.Sources.PanelData(new PanelSettings(Write(text), new PanelLayout.Long("id", "v"), "date") { Labels = SeriesCli.Labels }, Window: window);
        return source.PlanFor(PanelFile.Read(source.Settings), 0.2);
    }

    [Fact]
    public void A_text_cell_in_a_named_wide_column_is_refused_naming_its_line()
    {
        const string text = "date,A,B\n2020-01,1,10\n2020-02,2,20\n2020-03,3,n/k\n2020-04,4,40\n";

        var message = Refused(text, PanelLayout.WideOf("A,B"));

        Assert.Contains("(B) line 4: B holds 'n/k', not a number", message);
    }

    [Fact]
    public void A_series_whose_dates_go_back_is_refused_naming_both_lines()
    {
        // B's rows are in order on their own; A's go back from March to February.
        const string text = "id,date,v\nA,2020-01,1\nB,2020-01,1\nA,2020-03,3\nB,2020-02,2\nA,2020-02,2\n";

        var message = Refused(text, new PanelLayout.Long("id", "v"));

        Assert.Contains("(id 'A')", message);
        Assert.Contains("line 6: date 2020-02 comes after 2020-03 on line 4; the rows must be in time order (or, if id does not", message);
    }

    [Theory]
    // A repeated number: a duplicate (id, t) pair, as a repeated date is.
    [InlineData("id,t,v\nA,1,1\nB,1,5\nA,2,2\nB,2,6\nA,3,3\nA,3,4\nB,3,7\n", "(id 'A') lines 6 and 7: t 3 appears twice; each time may appear once, in order")]
    // A's rows appended twice: its numbers start again, which is no step but rows out of order.
    [InlineData("id,t,v\nA,1,1\nA,2,2\nA,3,3\nB,1,5\nB,2,6\nA,1,1\nA,2,2\n", "(id 'A') line 7: t 1 comes after 3 on line 4; the rows must be in time order")]
    public void A_numbered_time_that_repeats_or_goes_back_is_refused_naming_its_lines_not_called_a_mixed_step(string text, string expected)
    {
        var message = Refused(text, new PanelLayout.Long("id", "v"), time: "t");

        Assert.Contains(expected, message);
    }

    [Fact]
    public void A_wide_files_time_column_must_rise_over_every_row_also_where_the_series_with_values_change()
    {
        // s0 has values on t = 1..40, s1 on t = 10..49 written after them: each series rises, the file's time goes back.
        var back = "t,s0,s1\n" + string.Concat(Enumerable.Range(1, 40).Select(t => $"{t},{t},\n")) + string.Concat(Enumerable.Range(10, 40).Select(t => $"{t},,{t}\n"));
        // A last row repeating a time, with no value at all.
        var repeated = "date,A,B\n" + string.Concat(Enumerable.Range(0, 30).Select(i => $"{2000 + (i / 12)}-{(i % 12) + 1:00},{i},{i}\n")) + "2002-06,,\n";

        Assert.EndsWith("line 42: t 10 comes after 40 on line 41; the rows must be in time order", Refused(back, PanelLayout.WideOf("all"), time: "t"));
        Assert.EndsWith("lines 31 and 32: date 2002-06 appears twice; each time may appear once, in order", Refused(repeated, PanelLayout.WideOf("A,B")));
    }

    [Fact]
    public void A_numbered_time_on_an_irregular_but_rising_step_is_labels_and_a_text_time_may_repeat()
    {
        // Numbers that rise unevenly (not whole, or sparse whole ones) are labels, as in a single series' file; text times
        // are labels and never checked.
        var rising = Read("id,t,v\nA,1,1\nA,2,2\nA,4.5,3\n", new PanelLayout.Long("id", "v"), time: "t");
        var sparse = Read("id,t,v\nA,1,1\nA,2,2\nA,50,3\n", new PanelLayout.Long("id", "v"), time: "t");
        Assert.Contains("more missing than given", Assert.IsType<TimeAxis.Labelled>(sparse.Series[0].Time).Why);
        var text = Read("id,t,v\nA,x,1\nA,x,2\nA,y,3\n", new PanelLayout.Long("id", "v"), time: "t");

        Assert.IsType<TimeAxis.Labelled>(rising.Series[0].Time);
        Assert.Equal(3, text.Series[0].Length);
    }
    [Fact]
    public void More_series_than_a_panel_may_hold_are_refused_on_the_line_that_adds_one_too_many()
    {
        var text = "id,v\n" + string.Concat(Enumerable.Range(0, PanelSettings.MaxSeries + 1).Select(i => $"s{i},1\n"));

        var message = Refused(text, new PanelLayout.Long("id", "v"), time: null);

        Assert.EndsWith($"line {PanelSettings.MaxSeries + 2}: more than 100,000 distinct values of id; a panel may hold at most 100,000 series", message);
    }

    [Fact]
    public void All_keeps_a_ragged_column_whose_first_value_comes_after_the_rows_read_ahead()
    {
        var rows = Enumerable.Range(0, 40).Select(i => $"{2000 + (i / 12)}-{(i % 12) + 1:00},{i},{(i >= 35 ? (i * 10).ToString(System.Globalization.CultureInfo.InvariantCulture) : "")}");
        var panel = Read("date,A,B\n" + string.Join("\n", rows) + "\n", PanelLayout.WideOf("all"));

        Assert.Equal(["A", "B"], panel.Series.Select(s => s.Name));
        Assert.Equal([350f, 360, 370, 380, 390], panel.Series[1].Values);
        Assert.Equal("2002-12", panel.Series[1].Label(0));
    }

    [Fact]
    public void All_leaves_out_a_column_whose_first_value_after_the_rows_read_ahead_is_text_and_a_named_one_is_refused()
    {
        // C is empty for the rows read ahead (SeriesFile.HeaderLookahead), then notes: no number, so not a series; B starts later
        // with numbers and is one.
        var rows = Enumerable.Range(0, 40).Select(i => $"{2000 + (i / 12)}-{(i % 12) + 1:00},{i},{(i >= 35 ? i.ToString(System.Globalization.CultureInfo.InvariantCulture) : "")},{(i >= 36 ? "revised" : "")}");
        var text = "date,A,B,C\n" + string.Join("\n", rows) + "\n";

        var panel = Read(text, PanelLayout.WideOf("all"));
        var message = Refused(text, PanelLayout.WideOf("A,C"));

        Assert.Equal(["A", "B"], panel.Series.Select(s => s.Name));
        Assert.Contains("(C) line 38: C holds 'revised', not a number", message);
    }

    [Fact]
    public void The_default_season_is_the_longest_series_step_not_a_short_first_ones()
    {
        var text = "id,date,v\nQ,2000-01,1\n" + string.Join("\n", new[] { "A", "B", "C" }.SelectMany(id =>
            Enumerable.Range(0, 60).Select(i => $"{id},{2000 + (i / 12)}-{(i % 12) + 1:00},{100 + i + (i % 12)}"))) + "\n";
        var path = Write(text);
        var source = new SimpleRnnTorch.Sources.PanelData(new PanelSettings(path, new PanelLayout.Long("id", "v"), "date") { Labels = SeriesCli.Labels });

        var plan = source.PlanFor(PanelFile.Read(source.Settings), 0.2);

        Assert.Equal((12, 12), (plan.Season, plan.Window));
        Assert.Equal(["Q"], plan.Skipped.Select(s => s.Name));
        Assert.Equal(["A", "B", "C"], plan.Members.Select(m => m.Series.Name));
    }

    [Fact]
    public void Two_series_of_one_name_are_refused_and_a_column_without_values_is_a_series_of_none_left_out_by_name()
    {
        var message = Refused("date,A,A,C\n2020-01,1,2,3\n2020-02,4,5,6\n", PanelLayout.WideOf("all"));
        Assert.Contains("has two series named 'A'", message);

        var rows = Enumerable.Range(0, 40).Select(i => $"{2000 + (i / 12)}-{(i % 12) + 1:00},{i},");
        var path = Write("date,A,B\n" + string.Join("\n", rows) + "\n");
        var source = new SimpleRnnTorch.Sources.PanelData(new PanelSettings(path, PanelLayout.WideOf("A,B"), "date") { Labels = SeriesCli.Labels });
        var panel = PanelFile.Read(source.Settings);

        Assert.Equal([40, 0], panel.Series.Select(s => s.Length));
        Assert.Equal(["B"], source.PlanFor(panel, 0.2).Skipped.Select(s => s.Name));
    }

    [Fact]
    public void A_missing_cell_inside_a_series_is_named_as_written()
    {
        var message = Refused("date,C\n2020-01,1\n2020-02,NaN\n2020-03,3\n", PanelLayout.WideOf("C"));
        Assert.Contains("C is missing ('NaN')", message);
    }
}
