using System.Globalization;
using SimpleRnnTorch.Reporting;
using SimpleRnnTorch.Training;

namespace SimpleRnnTorch.Tests.Reporting;

public sealed class HistoryCsvTests
{
    [Fact]
    public void Writes_one_row_per_epoch_with_round_trippable_numbers()
    {
        var history = new TrainingHistory([
            new EpochResult(1, 0.123456789012345, 0.1, 0.01, TimeSpan.FromSeconds(0.5)),
            new EpochResult(2, 1.5e-7, null, 0.005, TimeSpan.FromSeconds(0.25)),
        ])
        { BestEpoch = 2 };

        var lines = HistoryCsv.Format(history).TrimEnd('\n').Split('\n');

        Assert.Equal(HistoryCsv.Header, lines[0]);
        Assert.Equal(3, lines.Length);
        var first = lines[1].Split(',');
        Assert.Equal("1", first[0]);
        Assert.Equal(0.123456789012345, double.Parse(first[1], CultureInfo.InvariantCulture));
        Assert.Equal("", lines[2].Split(',')[2]); // no validation loss: empty, not NaN
        Assert.Equal(1.5e-7, double.Parse(lines[2].Split(',')[1], CultureInfo.InvariantCulture));
        Assert.Equal(["0", "1"], lines.Skip(1).Select(l => l.Split(',')[5])); // the best epoch is marked
    }
}
