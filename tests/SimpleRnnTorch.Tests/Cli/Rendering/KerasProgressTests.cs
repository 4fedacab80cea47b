using SimpleRnnTorch.Cli.Views;
using SimpleRnnTorch.Training;

namespace SimpleRnnTorch.Tests.Cli.Rendering;

public sealed class KerasProgressTests
{
    private static string Render(int verbosity, bool interactive)
    {
        var output = new StringWriter();
        var progress = new KerasProgress(output, verbosity, interactive);
        for (var epoch = 1; epoch <= 2; epoch++)
        {
            progress.Observe(new EpochStarted(epoch, 2, 25));
            for (var step = 1; step <= 25; step++)
            {
                progress.Observe(new StepCompleted(epoch, step, 25, 0.5 / step));
            }

            progress.Observe(new EpochCompleted(new EpochResult(epoch, 0.0123, 4.5e-6, 0.1, TimeSpan.FromMilliseconds(25)), 2));
        }

        return output.ToString();
    }

    [Fact]
    public void Verbose_1_in_a_log_prints_the_epoch_and_its_finished_bar_only()
    {
        var lines = Render(1, interactive: false).TrimEnd('\n').Split('\n');
        Assert.Equal(
            ["Epoch 1/2", "25/25 [==============================] - 0s 1ms/step - loss: 0.0123 - val_loss: 4.5000e-06",
             "Epoch 2/2", "25/25 [==============================] - 0s 1ms/step - loss: 0.0123 - val_loss: 4.5000e-06"],
            lines);
    }

    [Fact]
    public void Verbose_1_in_a_terminal_redraws_the_bar_in_place()
    {
        var text = Render(1, interactive: true);
        Assert.Contains("\r 1/25 [>.............................] - loss: 0.5000", text);
        Assert.Equal(4, text.Count(c => c == '\n')); // still one finished line per epoch
    }

    [Fact]
    public void Verbose_2_prints_one_line_per_epoch_and_0_nothing()
    {
        Assert.Equal(
            ["Epoch 1/2 - 0s - loss: 0.0123 - val_loss: 4.5000e-06 - lr: 1e-1", "Epoch 2/2 - 0s - loss: 0.0123 - val_loss: 4.5000e-06 - lr: 1e-1"],
            Render(2, interactive: false).TrimEnd('\n').Split('\n'));
        Assert.Equal("", Render(0, interactive: true));
    }

    [Theory]
    [InlineData(0.08361, "0.0836")]
    [InlineData(4.4099e-06, "4.4099e-06")]
    [InlineData(1.077e18, "1.0770e+18")]
    [InlineData(0, "0.0000")]
    public void Losses_are_formatted_as_keras_does(double value, string expected) =>
        Assert.Equal(expected, KerasProgress.Loss(value));
}
