using System.Globalization;
using SimpleRnnTorch.Forecasting;

namespace SimpleRnnTorch.Tests.Forecasting;

/// <summary>
/// The M4 seasonality test against R: the reference values are the M4 benchmarks' R code on the corpus files
/// (`xacf <- acf(y)$acf[-1]; clim <- 1.645/sqrt(n)*sqrt(cumsum(c(1, 2*xacf^2)))`, r_m = xacf[m], limit = clim[m];
/// R 4.2, Debian 12).
/// </summary>
public sealed class SeasonalityTestTests
{
    [Theory]
    [InlineData("r_AirPassengers.csv", 12, 0.7603950423, 0.5026490157, true)]
    [InlineData("r_USAccDeaths.csv", 12, 0.6285891823, 0.3755067155, true)]
    [InlineData("sm_danish_ide.csv", 4, 0.3250146538, 0.4400410551, false)]
    [InlineData("sm_macrodata_unemp.csv", 4, 0.7063377217, 0.2740233193, true)]
    [InlineData("syn_monthly_noisy.csv", 12, -0.0832866079, 0.1474818870, false)]
    [InlineData("r_UKgas.csv", 4, 0.9015271870, 0.2402530817, true)]
    public void It_computes_what_the_M4_code_in_R_computes(string file, int season, double r, double limit, bool seasonal)
    {
        var values = File.ReadLines(Path.Combine(TestPaths.RepoRoot, "data", "corpus", file)).Skip(1)
            .Select(line => float.Parse(line.Split(',')[^1], CultureInfo.InvariantCulture)).ToArray();

        var (ours, ourLimit) = SeasonalityTest.Statistic(values, season);

        Assert.Equal(r, ours, 6);
        Assert.Equal(limit, ourLimit, 6);
        Assert.Equal(seasonal, SeasonalityTest.IsSeasonal(values, season));
    }

    [Fact]
    public void Fewer_than_three_seasons_no_season_and_a_constant_series_are_not_seasonal()
    {
        float[] wave = [.. Enumerable.Range(0, 48).Select(i => (float)Math.Sin(2 * Math.PI * i / 12))];

        Assert.True(SeasonalityTest.IsSeasonal(wave, 12));
        Assert.False(SeasonalityTest.IsSeasonal(wave[..35], 12));
        Assert.False(SeasonalityTest.IsSeasonal(wave, 1));
        Assert.False(SeasonalityTest.IsSeasonal([.. Enumerable.Repeat(5f, 48)], 12));
    }
}
