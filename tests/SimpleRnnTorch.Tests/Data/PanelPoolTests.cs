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
        var epoch = PanelData.MaxWindows(24).Train;
        Assert.Equal(8_192, epoch);
        Assert.Equal(epoch, data.SamplesPerEpoch);
        Assert.Equal(24 * 940, data.Tensors.TrainCount);
        Assert.True(data.Tensors.TrainCount > epoch);
        Assert.Equal(epoch, new TrainingConfig { MaxSamplesPerEpoch = 65_536 }.For(data.Tensors.TrainCount, data.Tensors.ValidationCount, data.SamplesPerEpoch).MaxSamplesPerEpoch);
    }
}
