using System.Globalization;
using System.Text;
using SimpleRnnTorch.Common;
using SimpleRnnTorch.Training;

namespace SimpleRnnTorch.Reporting;

/// <summary>
/// The history as CSV, round-trippable numbers: epoch, loss, val_loss, lr, seconds, and best = 1 on the
/// best epoch (the weights a completed or early-stopped run with --patience ends with). The last row is
/// where training stopped.
/// </summary>
internal static class HistoryCsv
{
    public const string FileName = "history.csv";

    public const string Header = "epoch,loss,val_loss,lr,seconds,best";

    public static string Format(TrainingHistory history)
    {
        var text = new StringBuilder(Header).Append('\n');
        foreach (var e in history.Epochs)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"{e.Epoch},{e.Loss:R},{(e.ValidationLoss is { } v ? v.ToString("R", CultureInfo.InvariantCulture) : "")},{e.LearningRate:R},{e.Duration.TotalSeconds:F6},{(e.Epoch == history.BestEpoch ? 1 : 0)}\n");
        }

        return text.ToString();
    }

    public static void Write(string path, TrainingHistory history) => AtomicFile.WriteAllText(path, Format(history));
}
