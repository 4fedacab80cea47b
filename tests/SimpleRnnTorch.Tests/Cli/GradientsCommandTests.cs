using System.Text.Json;
using SimpleRnnTorch.Experiments;
using SimpleRnnTorch.Cli;
using SimpleRnnTorch.Model;
using SimpleRnnTorch.Persistence;
using SimpleRnnTorch.Reporting;
using SkiaSharp;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Tests.Cli;

/// <summary>`gradients`: one JSON line per cell and phase, the table and ratios, saved models measured as saved, and bad input refused before any work.</summary>
[Collection(TorchCollection.Name)]
public sealed class GradientsCommandTests(AddingModelFixture adding, TrainedModelFixture lesson) : IClassFixture<AddingModelFixture>, IClassFixture<TrainedModelFixture>
{
    [Fact]
    public void Gradients_json_has_a_line_per_cell_and_phase_with_t_norms_and_the_png_has_a_line_per_cell()
    {
        using var temp = new TempFolder();
        var (code, stdout, stderr) = InProcess.Run(["gradients", "--time-steps", "7", "--epochs", "1", "--sequences", "200", "--hidden", "3",
            "--samples", "16", "--eval-count", "20", "--json", "--output", temp.File("out")]);

        Assert.True(code == 0, stderr);
        var lines = stdout.Trim().Split('\n').Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["rnn/init", "rnn/trained", "lstm/init", "lstm/trained", "gru/init", "gru/trained"],
            lines.Select(l => $"{l.GetProperty("cell").GetString()}/{l.GetProperty("phase").GetString()}"));
        Assert.All(lines, l =>
        {
            Assert.Equal(7, l.GetProperty("time_steps").GetInt32());
            var norms = l.GetProperty("norms").EnumerateArray().Select(n => n.GetDouble()).ToList();
            Assert.Equal(7, norms.Count);
            Assert.All(norms, n => Assert.True(double.IsFinite(n) && n > 0, $"norm {n}"));
        });
        Assert.Contains("gradients: lstm: training on the adding task, T = 7", stderr);

        using var bitmap = SKBitmap.Decode(File.ReadAllBytes(temp.File("out/" + GradientPlot.FileName)));
        Assert.Equal((1000, 600), (bitmap.Width, bitmap.Height));
        foreach (var cell in new[] { CellKind.Rnn, CellKind.Lstm, CellKind.Gru })
        {
            Assert.True(Reporting.PixelCounts.Near(bitmap, PlotStyle.CellColor(cell)) > 300, $"{cell}'s lines missing");
        }
    }

    [Fact]
    public void Gradients_text_says_how_the_norms_are_computed_and_gives_each_cells_first_to_last_ratio()
    {
        using var temp = new TempFolder();
        var (code, stdout, stderr) = InProcess.Run(["gradients", "--time-steps", "5", "--cells", "rnn,gru", "--epochs", "1", "--sequences", "100",
            "--hidden", "3", "--samples", "8", "--eval-count", "10", "--output", temp.File("out")]);

        Assert.True(code == 0, stderr);
        Assert.Contains("L = (prediction − target)²", stdout);
        Assert.Contains("averaged over 8", stdout);
        Assert.Contains("4 (first)", stdout);
        Assert.Contains("0 (last)", stdout);
        Assert.Contains("rnn initial", stdout);
        Assert.Contains("gru trained", stdout);
        Assert.Matches(@"│ first/last +│ +[\d.]+e[+-]\d+ │", stdout);
        Assert.Matches(@"rnn: norms\[0\]/norms\[T-1\] = [\d.]+e[+-]\d+ at initialisation, [\d.]+e[+-]\d+ after training", stdout);
        Assert.Matches(@"gru: norms\[0\]/norms\[T-1\] = ", stdout);
        Assert.DoesNotContain("lstm", stdout);
    }

    [Fact]
    public void Gradients_measures_a_saved_model_as_saved_beside_the_initial_weights_of_its_seed()
    {
        using var temp = new TempFolder();
        var (code, stdout, stderr) = InProcess.Run(["gradients", "--model", adding.Path, "--samples", "16", "--json", "--output", temp.File("out")]);
        Assert.True(code == 0, stderr);
        var lines = stdout.Trim().Split('\n').Select(l => JsonDocument.Parse(l).RootElement).ToList();
        double[] Norms(int i) => lines[i].GetProperty("norms").EnumerateArray().Select(n => n.GetDouble()).ToArray();

        var manifest = ModelFile.ReadManifest(adding.Path);
        var seed = GradientStudy.ProbeSeed(manifest.Training.Seed);
        using var initial = ModelFactory.Create(manifest.Model, manifest.Training.Seed, CPU, manifest.Training.Init);
        var (saved, _) = ModelFile.Load(adding.Path, CPU);
        using var __ = saved;

        Assert.Equal(["init", "trained"], lines.Select(l => l.GetProperty("phase").GetString()));
        Assert.Equal(GradientStudy.Profile(initial, GradientPhase.Init, 6, 16, seed).Norms, Norms(0));
        Assert.Equal(GradientStudy.Profile(saved, GradientPhase.Trained, 6, 16, seed).Norms, Norms(1));
        Assert.NotEqual(Norms(0), Norms(1));
    }

    [Fact]
    public void Gradients_refuses_bad_input_in_one_line_with_exit_2_and_writes_nothing()
    {
        using var temp = new TempFolder();
        var cases = new (string[] Args, string Expected)[]
        {
            (["--time-steps", "1"], "--time-steps must be an integer in [2, 10000], got '1'"),
            (["--cells", "rnn,cnn"], "--cells must be comma-separated names from rnn, lstm, gru"),
            (["--cells", "rnn,rnn"], "--cells must be comma-separated names"),
            (["--model", lesson.ModelPath], $"--model '{lesson.ModelPath}' was trained on the arithmetic task (1 feature(s) per step)"),
            (["--model", temp.File("missing.safetensors")], $"--model '{temp.File("missing.safetensors")}': no such file"),
            (["--model", adding.Path, "--hidden", "8"], "--hidden sets up training; --model measures saved models as they are"),
            (["--model", adding.Path, "--model", adding.Path], "--model '" + adding.Path + "' and '" + adding.Path + "' are both gru models"),
        };

        foreach (var (args, expected) in cases)
        {
            var (code, stdout, stderr) = InProcess.Run(["gradients", .. args, "--output", temp.File("out")]);

            Assert.True(code == ExitCodes.Usage, $"{string.Join(' ', args)}: exit {code}, {stderr}");
            Assert.StartsWith($"error: {expected}", Assert.Single(InProcess.Lines(stderr)));
            Assert.Equal("", stdout);
            Assert.False(Directory.Exists(temp.File("out")), $"{string.Join(' ', args)} created the output folder");
        }
    }
}
