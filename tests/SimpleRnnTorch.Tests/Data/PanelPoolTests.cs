using System.Globalization;
using SimpleRnnTorch.Data;
using SimpleRnnTorch.Sources;
using SimpleRnnTorch.Training;

namespace SimpleRnnTorch.Tests.Data;

/// <summary>
/// A panel with more windows than an epoch trains on keeps a pool of several epochs' worth, and every epoch draws its own
/// from it; a panel with fewer trains on all of them every epoch, as before.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class PanelPoolTests
{
    [Theory]
    [InlineData(65_536, 16_384, 100_000, 16_384)] // the series preset's cap is above a panel's epoch: the panel's binds
    [InlineData(null, 16_384, 100_000, 16_384)]
    [InlineData(1_000, 16_384, 100_000, 1_000)] // a job's lower cap stays
    [InlineData(65_536, 16_384, 10_000, null)] // a pool smaller than an epoch: no cap
    public void The_datas_own_epoch_cap_binds_where_it_is_the_lower(int? jobCap, int dataCap, long samples, int? kept)
    {
        var config = new TrainingConfig { BatchSize = 32, MaxStepsPerEpoch = 16, MaxSamplesPerEpoch = jobCap };

        var trained = config.For(samples, 0, dataCap);

        Assert.Equal(kept, trained.MaxSamplesPerEpoch);
        Assert.Equal(Math.Min(samples, kept ?? samples), trained.SamplesPerEpoch(samples));
        Assert.Equal(config.For(samples, 0), config.For(samples, 0, null));
    }

    /// <summary>
    /// A series' share of the pool: as many windows as the share allows, distinct, in order, the latest always. A series of
    /// 140 windows with a share of 131 (1,000 monthly series of 200 values) keeps 131; a whole stride of 2 kept 70.
    /// </summary>
    [Theory]
    [InlineData(0, 140, 131)]
    [InlineData(10, 140, 131)]
    [InlineData(0, 100, 131)] // fewer than the share: all of them
    [InlineData(5, 1_000, 7)]
    [InlineData(0, 1, 1)]
    [InlineData(3, 200_000, 65_536)]
    public void A_series_gives_its_whole_share_evenly_spaced_back_from_its_latest_window(int first, int count, int share)
    {
        var picked = PanelData.Evenly(first, count, share).ToArray();

        Assert.Equal(Math.Min(count, share), picked.Length);
        Assert.Equal(first + count - 1, picked[^1]);
        Assert.True(picked[0] >= first);
        Assert.True(picked.Zip(picked.Skip(1)).All(p => p.Second > p.First));
        var gaps = picked.Zip(picked.Skip(1)).Select(p => p.Second - p.First).ToArray();
        Assert.True(gaps.Length == 0 || gaps.Max() - gaps.Min() <= 1);
    }

    /// <summary>An hourly panel's default window is a day, read a value a step: 24 is also two years of months, read two.</summary>
    [Fact]
    public void An_hourly_panel_trains_on_a_day_read_one_value_a_step()
    {
        using var temp = new TempFolder();
        var lines = new List<string> { "time,a,b,c" };
        var start = new DateTime(2024, 1, 1);
        for (var i = 0; i < 24 * 12; i++)
        {
            var day = Math.Sin(2 * Math.PI * i / 24);
            lines.Add(FormattableString.Invariant($"{start.AddHours(i):yyyy-MM-ddTHH:mm:ss},{10 + day},{20 + (2 * day)},{30 + (3 * day)}"));
        }

        var path = temp.File("hourly.csv");
        File.WriteAllLines(path, lines);
        var source = new PanelData(new PanelSettings(path, PanelLayout.WideOf("all"), TimeColumn: "time"));

        using var data = source.Prepare(seed: 1, validationSplit: 0.2, TorchSharp.torch.CPU);

        Assert.Equal(24, data.Spec.TimeSteps);
        Assert.Null(data.ValuesPerStep);
        Assert.Equal(1, new Runs.TrainJob { Source = source }.ModelFor(data.Spec.TimeSteps, data.ValuesPerStep).ValuesPerStep);
    }

    /// <summary>A day of two-hour steps is a season of 12 too, but not a year of months: one day, read a value a step.</summary>
    [Fact]
    public void A_panel_of_two_hour_steps_trains_on_one_day()
    {
        using var temp = new TempFolder();
        var lines = new List<string> { "time,a,b,c,d" };
        var start = new DateTime(2024, 1, 1);
        for (var i = 0; i < 300; i++)
        {
            var day = Math.Sin(2 * Math.PI * i / 12);
            lines.Add(FormattableString.Invariant($"{start.AddHours(2 * i):yyyy-MM-dd HH:mm},{10 + day},{20 + day},{30 + day},{40 + day}"));
        }

        var path = temp.File("two_hours.csv");
        File.WriteAllLines(path, lines);

        using var data = new PanelData(new PanelSettings(path, PanelLayout.WideOf("all"), TimeColumn: "time")).Prepare(seed: 1, validationSplit: 0.2, TorchSharp.torch.CPU);

        Assert.Equal(12, data.Spec.TimeSteps);
        Assert.Null(data.ValuesPerStep);
    }

    /// <summary>Columns with no value are series of none, left out by name: they do not pull the median, and the window, down.</summary>
    [Fact]
    public void Empty_columns_do_not_choose_the_window()
    {
        using var temp = new TempFolder();
        var lines = new List<string> { "month,a,b,c,e1,e2,e3,e4" };
        for (var i = 0; i < 90; i++)
        {
            var season = Math.Sin(2 * Math.PI * i / 12);
            lines.Add(FormattableString.Invariant($"{2000 + (i / 12)}-{(i % 12) + 1:00},{10 + season},{20 + season},{30 + season},,,,"));
        }

        var path = temp.File("empties.csv");
        File.WriteAllLines(path, lines);
        var source = new PanelData(new PanelSettings(path, PanelLayout.WideOf("all"), TimeColumn: "month"));

        var plan = source.PlanFor(PanelFile.Read(source.Settings), 0.2);

        Assert.Equal(90, plan.MedianLength);
        Assert.Equal(24, plan.Window);
        Assert.Equal(3, plan.Members.Count);
        Assert.Equal(4, plan.Skipped.Count);
    }

    [Fact]
    public void A_panel_of_more_windows_than_an_epoch_keeps_a_pool_and_caps_the_epoch()
    {
        using var temp = new TempFolder();
        // 24 monthly series of 1,200 values: windows of two years (24), each series training on the first 80% of its 1,176, over
        // 22,000 in all: above an epoch's 8,192 (196,608 window values).
        var lines = new List<string> { "id,month,value" };
        var random = new Random(5);
        for (var s = 0; s < 24; s++)
        {
            double level = 100 + (10 * s);
            for (var i = 0; i < 1_200; i++)
            {
                level += random.NextDouble() - 0.5;
                lines.Add($"s{s},{1900 + (i / 12)}-{(i % 12) + 1:00},{level.ToString("R", CultureInfo.InvariantCulture)}");
            }
        }

        var path = temp.File("panel.csv");
        File.WriteAllLines(path, lines);
        var source = new PanelData(new PanelSettings(path, new PanelLayout.Long("id", "value"), TimeColumn: "month"));

        using var data = source.Prepare(seed: 1, validationSplit: 0.2, TorchSharp.torch.CPU);

        Assert.Equal(24, data.Spec.TimeSteps);
        Assert.Equal(2, data.ValuesPerStep);
        Assert.Equal(2, new Runs.TrainJob { Source = source }.ModelFor(data.Spec.TimeSteps, data.ValuesPerStep).ValuesPerStep);
        var epoch = PanelData.MaxWindows(24).Train;
        Assert.Equal(8_192, epoch);
        Assert.Equal(epoch, data.SamplesPerEpoch);
        Assert.Equal(24 * 940, data.Tensors.TrainCount);
        Assert.True(data.Tensors.TrainCount > epoch);
        Assert.Equal(epoch, new TrainingConfig { MaxSamplesPerEpoch = 65_536 }.For(data.Tensors.TrainCount, data.Tensors.ValidationCount, data.SamplesPerEpoch).MaxSamplesPerEpoch);
    }
}
