using System.Text;
using SimpleRnnTorch.Cli.Sources;
using SimpleRnnTorch.Common;
using SimpleRnnTorch.Data;

namespace SimpleRnnTorch.Tests.Data;

/// <summary>The CSV dialects a series file may come in, the column choice, missing values, and what the reading costs.</summary>
public sealed class SeriesFileTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    private string Write(string text, bool bom = false)
    {
        var path = temp.File($"series-{Guid.NewGuid():N}.csv");
        File.WriteAllBytes(path, [.. bom ? Encoding.UTF8.GetPreamble() : [], .. Encoding.UTF8.GetBytes(text)]);
        return path;
    }

    private Series Read(string text, string? column = null, string? time = null, FillMethod fill = FillMethod.None, bool bom = false) =>
        SeriesFile.Read(new SeriesSettings(Write(text, bom), column, time, fill) { Labels = SeriesCli.Labels });

    public static TheoryData<string, string, bool, char, bool> Dialects => new()
    {
        // name, text, BOM, separator, header
        { "comma, header, LF", "YEAR,VALUE\n1700,5\n1701,11.5\n1702,16\n", false, ',', true },
        { "semicolon", "YEAR;VALUE\n1700;5\n1701;11.5\n1702;16\n", false, ';', true },
        { "tab", "YEAR\tVALUE\n1700\t5\n1701\t11.5\n1702\t16\n", false, '\t', true },
        { "quoted header", "\"YEAR\",\"VALUE\"\n1700,5\n1701,11.5\n1702,16\n", false, ',', true },
        { "quoted cells", "\"YEAR\",\"VALUE\"\n\"1700\",\"5\"\n\"1701\",\"11.5\"\n\"1702\",\"16\"\n", false, ',', true },
        { "UTF-8 BOM", "YEAR,VALUE\n1700,5\n1701,11.5\n1702,16\n", true, ',', true },
        { "CRLF", "YEAR,VALUE\r\n1700,5\r\n1701,11.5\r\n1702,16\r\n", false, ',', true },
        { "BOM, CRLF, quoted, semicolon", "\"YEAR\";\"VALUE\"\r\n1700;5\r\n1701;11.5\r\n1702;16", true, ';', true },
        { "no header", "1700,5\n1701,11.5\n1702,16\n", false, ',', false },
        { "invariant numbers", "YEAR,VALUE\n1700,5e0\n1701, 1.15E1 \n1702,+16.000\n", false, ',', true },
        { "blank lines skipped", "YEAR,VALUE\n\n1700,5\n1701,11.5\n\n1702,16\n\n", false, ',', true },
    };

    [Theory]
    [MemberData(nameof(Dialects))]
    public void Every_dialect_reads_the_same_series(string name, string text, bool bom, char separator, bool header)
    {
        var series = Read(text, time: "0", bom: bom);

        Assert.True(series.Values.SequenceEqual([5f, 11.5f, 16f]), $"{name}: [{string.Join(", ", series.Values)}]");
        Assert.Equal(separator, series.Separator);
        Assert.Equal(header, series.HasHeader);
        Assert.Equal(header ? "VALUE" : "column 1", series.Name);
        Assert.Equal(new TimeAxis.Dated(series.Time!.Name, TimeFrequency.Yearly, new DateOnly(1700, 1, 1), DateFormat.Year), series.Time);
        Assert.Equal(("1700", "1702"), (series.Label(0), series.Label(2)));
        Assert.Equal(header ? "YEAR" : "column 0", series.Time.Name);
    }

    [Fact]
    public void One_column_without_header_and_single_column_with_one()
    {
        Assert.Equal([1f, 2.5f, -3f], Read("1\n2.5\n-3\n").Values);
        var named = Read("level\n1\n2.5\n-3\n");
        Assert.Equal(("level", true), (named.Name, named.HasHeader));
        Assert.Equal([1f, 2.5f, -3f], named.Values);
    }

    [Fact]
    public void The_default_column_is_the_last_numeric_one_and_names_or_indices_pick_others()
    {
        const string text = "date,open,close,note\n2020-01-01,1,10,x\n2020-01-02,2,20,y\n2020-01-03,3,30,z\n";

        Assert.Equal("close", Read(text).Name);
        Assert.Equal([10f, 20, 30], Read(text).Values);
        Assert.Equal([1f, 2, 3], Read(text, column: "open").Values);
        Assert.Equal([1f, 2, 3], Read(text, column: "OPEN").Values);   // case-insensitive when unambiguous
        Assert.Equal([1f, 2, 3], Read(text, column: "1").Values);      // 0-based index

        // Daily dates: every position has a label, the forecast's too.
        var axis = Read(text, time: "date").Time!;
        Assert.True(axis.IsRegular);
        Assert.Equal(("2020-01-02", "2020-01-05"), (axis.Label(1, 3), axis.Beyond(2, 3)));
        Assert.Equal(7, axis.DefaultSeason);
    }

    [Fact]
    public void A_regular_numeric_time_column_labels_every_position_and_the_forecast()
    {
        var series = Read("YEAR,SUN\n1700.0,5\n1701.0,11\n1702.0,16\n1703.0,23\n", time: "YEAR");

        Assert.Equal("1702", series.Label(2));
        Assert.Equal("YEAR 1703", series.Where(3));
        Assert.Equal(["1704", "1705"], [series.Beyond(1), series.Beyond(2)]);
        Assert.Equal(new TimeAxis.Numbered("t", 1, 2), Read("t,v\n1,5\n3,6\n5,7\n", time: "t").Time);
        Assert.False(Read("t,v\n1,5\n2,6\n4.5,7\n", time: "t").Time!.IsRegular);
    }

    [Fact]
    public void Linear_fill_interpolates_inside_and_takes_the_nearest_value_at_the_ends()
    {
        var series = Read("t,v\n1,\n2,2\n3,NaN\n4,\n5,5\n6,nan\n7,NA\n", fill: FillMethod.Linear);

        Assert.Equal([2f, 2, 3, 4, 5, 5, 5], series.Values);
        Assert.Equal(5, series.Filled);
        Assert.Equal(0, Read("t,v\n1,1\n2,2\n").Filled);
    }

    public static TheoryData<string, string?, bool, string> BadFiles => new()
    {
        { "", null, false, "is empty" },
        { "\n\n  \n", null, false, "is empty (no rows)" },
        { "YEAR,VALUE\n", null, false, "has a header and no values" },
        { "YEAR,VALUE\n1700,5\n1701,6\n", "SUN", false, "--column 'SUN' is not a column of --data '" },
        { "YEAR,VALUE\n1700,5\n1701,6\n", "7", false, "--column 7 is past the last column" },
        { "name,value\nada,5\nbob,6\n", "name", false, "line 2: name holds 'ada', not a number" },
        { "YEAR,VALUE\n1700,5\n1701,6,5\n1702,x\n", null, false, "line 4: VALUE holds 'x', not a number" },
        { "YEAR;VALUE\n1700;1,5\n1701;2,5\n", "VALUE", false, "line 2: VALUE holds '1,5', not a number (numbers are read with '.' as the decimal point" },
        { "YEAR,VALUE\n1700,5\n1701,\n1702,NaN\n", null, false, "line 3: VALUE is missing (an empty cell); give --fill linear" },
        { "YEAR,VALUE\n1700,5\n1701,NaN\n", null, false, "line 3: VALUE is missing ('NaN')" },
        { "YEAR,VALUE\n1700,\n1701,NaN\n", null, true, "VALUE has no values, only missing ones" },
        { "YEAR,VALUE\n1700,5\n1701\n", null, false, "line 3 has 1 field(s)" },
        { "a,b\nx,y\nz,w\n", null, false, "has no numeric column" },
        { "YEAR,VALUE\n1700,1e39\n", "VALUE", false, "line 2: VALUE holds 1e39, beyond float32's range" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void Bad_files_give_one_line_naming_the_place(string text, string? column, bool fill, string expected)
    {
        var path = Write(text);
        var error = Assert.Throws<SeriesDataException>(() => SeriesFile.Read(new SeriesSettings(path, column, Fill: fill ? FillMethod.Linear : FillMethod.None) { Labels = SeriesCli.Labels }));

        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Equal(text, File.ReadAllText(path)); // only ever read
    }

    [Fact]
    public void A_name_in_a_first_row_not_read_as_a_header_says_why_it_was_not()
    {
        // Names over text only: nothing tells the row from data. Said as that, not as "it has no header".
        var path = Write("month,name\n2000-01,foo\n2000-02,bar\n");
        var error = Assert.Throws<SeriesDataException>(() => SeriesFile.Read(new SeriesSettings(path, TimeColumn: "month") { Labels = SeriesCli.Labels }));
        Assert.Equal($"--time-column 'month' is in the first row of --data '{path}', which is not read as a header: no name in it stands above a number, and a series' values must be numbers", error.Message);

        // A name that is not in it: the indexes, as before.
        error = Assert.Throws<SeriesDataException>(() => SeriesFile.Read(new SeriesSettings(path, TimeColumn: "date") { Labels = SeriesCli.Labels }));
        Assert.Contains("(it has no header; give an index from 0 to 1)", error.Message);
    }

    [Fact]
    public void A_missing_file_and_a_folder_are_named()
    {
        Assert.Equal("--data '/nonexistent/x.csv': no such file", Assert.Throws<SeriesDataException>(() => SeriesFile.Read(new SeriesSettings("/nonexistent/x.csv") { Labels = SeriesCli.Labels })).Message);
        Assert.Contains("is a folder", Assert.Throws<SeriesDataException>(() => SeriesFile.Read(new SeriesSettings(temp.Path) { Labels = SeriesCli.Labels })).Message);

        // Settings built in code (not from the command line) name them in words: the domain knows no flag.
        Assert.Equal("the data file '/nonexistent/x.csv': no such file", Assert.Throws<SeriesDataException>(() => SeriesFile.Read(new SeriesSettings("/nonexistent/x.csv"))).Message);
    }

    [Fact]
    public void Header_detection_needs_text_above_a_number()
    {
        Assert.True(SeriesFile.IsHeader(["YEAR", "VALUE"], ["1700", "5"]));
        Assert.False(SeriesFile.IsHeader(["2020-01-01", "5"], ["2020-01-02", "6"])); // dates over dates: data
        Assert.True(SeriesFile.IsHeader(["date", "value"], ["2020-01-02", "6"]));
        Assert.False(SeriesFile.IsHeader(["1700", ""], ["1701", "5"]));

        // Missing values below a name are looked past, to the first value that is there.
        Assert.True(SeriesFile.IsHeader(["quarter", "value"], [["1945Q1", ""], ["1945Q2", "NA"], ["1945Q3", "5"]]));
        Assert.True(SeriesFile.IsHeader(["value"], [["NA"], [""]]));           // nothing but missing values: still a name
        Assert.True(SeriesFile.IsHeader(["value"], [["1e300"]]));              // a number float32 cannot hold is a number, not text
        Assert.False(SeriesFile.IsHeader(["1945Q1", "3"], [["", "4"], ["1945Q3", "5"]])); // a number on the row: data
        Assert.False(SeriesFile.IsHeader(["a", "b"], [["x", "y"], ["z", "w"]]));

        // Numbers with a unit: under a name they make it a header; a header of quantiles ("5%", pandas' describe) over plain
        // numbers is one too; units over units are data.
        Assert.True(SeriesFile.IsHeader(["date", "value"], ["2010-01", "$100"]));
        Assert.True(SeriesFile.IsHeader(["", "5%", "95%"], ["1", "10.2", "20.3"]));
        Assert.False(SeriesFile.IsHeader(["2010-01", "5%"], ["2010-02", "6%"]));
    }

    [Theory]
    [InlineData("1945Q1,")]
    [InlineData("1945Q1,NA")]
    [InlineData("1945Q1,  ")]
    public void A_missing_first_value_leaves_the_header_a_header(string firstRow)
    {
        var series = Read($"quarter,value\n{firstRow}\n1945Q2,5\n1945Q3,6\n", time: "quarter", fill: FillMethod.Linear);

        Assert.Equal(("value", true, 1), (series.Name, series.HasHeader, series.Filled));
        Assert.Equal([5f, 5f, 6f], series.Values);
        Assert.Equal(("1945Q1", "1945Q4"), (series.Label(0), series.Beyond(1)));

        var error = Assert.Throws<SeriesDataException>(() => Read($"quarter,value\n{firstRow}\n1945Q2,5\n", time: "quarter"));
        Assert.Contains("line 2: value is missing", error.Message);
    }

    /// <summary>A separator at the end of every line (date,value,) makes an empty last column: the series is still the value column.</summary>
    [Fact]
    public void A_trailing_separator_does_not_make_the_empty_last_column_the_series()
    {
        var series = Read("date,value,\n2020-03-01,50.5,\n2020-03-02,51.5,\n2020-03-03,52.5,\n", time: "date");
        Assert.Equal("value", series.Name);
        Assert.Equal([50.5f, 51.5f, 52.5f], series.Values);
    }

    [Fact]
    public void A_column_of_missing_values_says_so_with_fill()
    {
        var error = Assert.Throws<SeriesDataException>(() => Read("value\nNA\n\nNA\nnull\n", fill: FillMethod.Linear));
        Assert.EndsWith(": value has no values, only missing ones", error.Message);
    }

    [Theory]
    [InlineData("1e-300", "too small for float32")]
    [InlineData("-1e-300", "too small for float32")]
    [InlineData("1e-46", "too small for float32")]
    [InlineData("0.00000000000000000000000000000000000000000000001", "too small for float32")]
    [InlineData("1e-400", "too small for float32")]  // 0 even as a double
    [InlineData("1e300", "beyond float32's range")]
    [InlineData("-3.5e38", "beyond float32's range")]
    [InlineData("1e400", "beyond float32's range")]
    [InlineData("Infinity", "beyond float32's range")]
    [InlineData("-Infinity", "beyond float32's range")]
    public void Values_float32_cannot_hold_are_refused_not_changed(string cell, string expected)
    {
        // In the first data row too: the number is a number (the header stays one, the column stays the default).
        foreach (var text in new[] { $"year,value\n1900,{cell}\n1901,2\n", $"year,value\n1900,1\n1901,{cell}\n" })
        {
            var error = Assert.Throws<SeriesDataException>(() => Read(text));
            Assert.Contains($"value holds {Excerpt.Of(cell)}, {expected}", error.Message);
            Assert.Contains("rescale the column", error.Message);
        }
    }

    [Theory]
    [InlineData("0", 0f)]
    [InlineData("-0.0", 0f)]
    [InlineData("0e-400", 0f)]
    [InlineData("1e-40", 1e-40f)]         // a subnormal float32: held, if coarsely
    [InlineData("1.4e-45", 1.4e-45f)]      // the smallest
    [InlineData("3.4e38", 3.4e38f)]
    [InlineData("-3.4028235e38", float.MinValue)]
    public void Values_at_float32s_ends_are_read(string cell, float expected) =>
        Assert.Equal(expected, Read($"value\n{cell}\n1\n").Values[0]);

    [Fact]
    public void A_name_two_columns_share_is_refused_not_taken_first()
    {
        var byDefault = Assert.Throws<SeriesDataException>(() => Read("value,value\n1,2\n3,4\n")).Message;
        Assert.EndsWith(": the column read by default is one of 2 columns named 'value' (columns 0 and 1, numbered from 0); give --column as an index", byDefault);

        var named = Assert.Throws<SeriesDataException>(() => Read("value,value\n1,2\n3,4\n", column: "value")).Message;
        Assert.StartsWith("--column 'value' is ambiguous: --data '", named);
        Assert.EndsWith("has 2 columns named 'value' (columns 0 and 1, numbered from 0); rename them in the file or give --column as an index", named);

        // Another case is the same name when it is not given exactly; given exactly, it is unambiguous.
        Assert.Contains("--column 'VALUE' is ambiguous: --data '", Assert.Throws<SeriesDataException>(() => Read("Value,value\n1,2\n", column: "VALUE")).Message);
        Assert.Contains("has 2 columns named 'Value' / 'value' (columns 0 and 1,", Assert.Throws<SeriesDataException>(() => Read("Value,value\n1,2\n", column: "VALUE")).Message);
        Assert.Equal([2f], Read("Value,value\n1,2\n", column: "value").Values);
        Assert.Contains("--time-column 't' is ambiguous", Assert.Throws<SeriesDataException>(() => Read("t,t,v\n1,1,5\n2,2,6\n", time: "t")).Message);
        Assert.Contains("one of 3 columns named 'v' (columns 0, 1, 2,", Assert.Throws<SeriesDataException>(() => Read("v,v,v\n1,2,3\n")).Message);

        // An index is unambiguous; so is a default column whose own name is unique.
        Assert.Equal([1f, 3f], Read("value,value\n1,2\n3,4\n", column: "0").Values);
        var unique = Read("t,t,v\n1,1,5\n2,2,6\n");
        Assert.Equal(("v", 5f, 6f), (unique.Name, unique.Values[0], unique.Values[1]));
    }

    /// <summary>
    /// The memory promise, measured: reading allocates the series as float32 once (the line count sizes
    /// the array), plus Sep's and the stream's buffers — no string per cell. The managed bytes allocated
    /// bound what the reading can hold at once. Blank lines cost one copy at the end: still within twice.
    /// </summary>
    [Fact]
    public void Reading_allocates_the_series_as_float32_once_plus_buffers()
    {
        const int rows = 200_000;
        var text = new StringBuilder("time,value\n");
        for (var i = 0; i < rows; i++)
        {
            text.Append(i).Append(',').Append((i % 1000) * 0.5).Append('\n');
        }

        var path = Write(text.ToString());
        SeriesFile.Read(new SeriesSettings(path, TimeColumn: "time") { Labels = SeriesCli.Labels }); // once for the JIT
        var before = GC.GetAllocatedBytesForCurrentThread();
        var series = SeriesFile.Read(new SeriesSettings(path, TimeColumn: "time") { Labels = SeriesCli.Labels });
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(rows, series.Length);
        Assert.True(series.Time!.IsRegular);
        long seriesBytes = rows * sizeof(float);
        Assert.True(allocated <= seriesBytes + (512 << 10), $"allocated {allocated:N0} bytes for a series of {seriesBytes:N0}");

        // With blank lines the array is trimmed at the end: one copy, never more than twice the series.
        var blank = Write(text.Replace("\n1000,", "\n\n1000,").Append("\n\n").ToString());
        SeriesFile.Read(new SeriesSettings(blank) { Labels = SeriesCli.Labels });
        before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Equal(rows, SeriesFile.Read(new SeriesSettings(blank) { Labels = SeriesCli.Labels }).Length);
        allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated <= (2 * seriesBytes) + (512 << 10), $"with blank lines: allocated {allocated:N0} bytes for a series of {seriesBytes:N0}");
    }

    [Fact]
    public void Carriage_returns_alone_still_read_every_value()
    {
        Assert.Equal([1f, 2, 3, 4], Read("v\r1\r2\r3\r4\r").Values);
    }
}
