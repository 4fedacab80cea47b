using SimpleRnnTorch.Model;
using Spectre.Console;

namespace SimpleRnnTorch.Cli.Views;

/// <summary>Keras' model.summary(): layer (type), output shape, parameter count, totals.</summary>
internal static class ModelSummaryView
{
    public static void Write(IAnsiConsole console, string modelName, IReadOnlyList<LayerSummary> layers)
    {
        var table = new Table { Border = TableBorder.Square, Title = new TableTitle($"Model: \"{modelName}\"") };
        table.AddColumn("Layer (type)");
        table.AddColumn("Output Shape");
        table.AddColumn(new TableColumn("Param #").RightAligned());
        foreach (var layer in layers)
        {
            table.AddRow($"{layer.Name} ({layer.Type})", layer.OutputShape, layer.Parameters.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        }

        console.Write(table);
        var total = layers.Sum(l => l.Parameters).ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
        console.WriteLine($" Total params: {total}");
        console.WriteLine($" Trainable params: {total}");
        console.WriteLine(" Non-trainable params: 0");
    }
}
