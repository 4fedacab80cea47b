using SimpleRnnTorch.Reporting;

namespace SimpleRnnTorch.Tests.Reporting;

/// <summary>forecast.csv's header: the id columns, the time column, the forecast and its bounds, each name once.</summary>
public sealed class ForecastCsvTests
{
    [Fact]
    public void The_header_names_the_id_columns_then_the_time_column()
    {
        Assert.Equal(["month", "forecast", "lower", "upper"], ForecastCsv.Columns(null, "month"));
        Assert.Equal(["step", "forecast", "lower", "upper"], ForecastCsv.Columns(null, null));
        Assert.Equal(["store", "product", "month", "forecast", "lower", "upper"], ForecastCsv.Columns(["store", "product"], "month"));
    }

    /// <summary>"step" is the program's name for a column of positions: an id column of that name keeps it, and the positions give way.</summary>
    [Fact]
    public void An_id_column_named_step_keeps_its_name()
    {
        Assert.Equal(["step", "forecast step", "forecast", "lower", "upper"], ForecastCsv.Columns(["step"], null));
        Assert.Null(ForecastCsv.Clash(["step"], null));
    }

    [Fact]
    public void A_name_the_file_gives_twice_is_a_clash()
    {
        Assert.Contains("would name two of its columns 'forecast'", ForecastCsv.Clash(["forecast"], "month"));
        Assert.Contains("would name two of its columns 'month'", ForecastCsv.Clash(["store", "month"], "month"));
        Assert.Null(ForecastCsv.Clash(["store", "product"], "month"));
    }
}
