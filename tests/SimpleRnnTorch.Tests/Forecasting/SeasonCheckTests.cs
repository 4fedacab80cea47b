using SimpleRnnTorch.Forecasting;

namespace SimpleRnnTorch.Tests.Forecasting;

public sealed class SeasonCheckTests
{
    [Fact]
    public void A_season_passes_when_a_season_back_predicts_better_than_the_last_value()
    {
        float[] wave = [.. Enumerable.Range(0, 48).Select(i => (float)(10 * Math.Sin(2 * Math.PI * i / 12)))];
        float[] trend = [.. Enumerable.Range(0, 48).Select(i => (float)(2 * i))];
        var random = new Random(4);
        var walk = new float[500];
        for (var i = 1; i < walk.Length; i++)
        {
            walk[i] = walk[i - 1] + (float)(random.NextDouble() - 0.5);
        }

        Assert.True(SeasonCheck.SeasonalNaiveBeatsNaive(wave, 12));
        Assert.False(SeasonCheck.SeasonalNaiveBeatsNaive(trend, 12)); // 24 a season back against 2 a step back
        Assert.False(SeasonCheck.SeasonalNaiveBeatsNaive(walk, 7)); // a random walk's spread grows with the lag
        Assert.False(SeasonCheck.SeasonalNaiveBeatsNaive(wave, 1));
        Assert.False(SeasonCheck.SeasonalNaiveBeatsNaive(wave[..12], 12));
    }
}
