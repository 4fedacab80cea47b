using System.Text.Json;
using SimpleRnnTorch.Cli;
using SimpleRnnTorch.Model;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Tests.Cli;

[Collection(TorchCollection.Name)]
public sealed class PredictCommandTests : IClassFixture<TrainedModelFixture>, IDisposable
{
    private readonly TempFolder temp = new();
    private readonly string modelPath;
    private readonly double[] expected;

    public PredictCommandTests(TrainedModelFixture trained)
    {
        modelPath = trained.ModelPath;
        expected = Predictor.Predict(trained.Model, trained.Manifest.Scaler, [[50, 60, 70], [10, 20, 30]], CPU);
    }

    public void Dispose() => temp.Dispose();

    [Fact]
    public void Json_lines_from_arguments()
    {
        var (code, stdout, stderr) = InProcess.Run(["predict", "--model", modelPath, "--json", "50,60,70", "10 20 30"]);

        Assert.True(code == 0, stderr);
        var lines = stdout.Trim().Split('\n');
        Assert.Equal(2, lines.Length);
        using var first = JsonDocument.Parse(lines[0]);
        Assert.Equal([50.0, 60, 70], first.RootElement.GetProperty("input").EnumerateArray().Select(e => e.GetDouble()));
        Assert.Equal(expected[0], first.RootElement.GetProperty("prediction").GetDouble());
    }

    [Fact]
    public void Sequences_from_a_file_and_from_stdin()
    {
        var file = temp.File("inputs.txt");
        File.WriteAllText(file, "# starts\n50,60,70\n\n[10, 20, 30]\n");

        var fromFile = InProcess.Run(["predict", "-m", modelPath, "--file", file]);
        var fromStdin = InProcess.Run(["predict", "-m", modelPath, "--file", "-"], stdin: "50 60 70\n10,20,30\n");

        Assert.Equal(0, fromFile.Code);
        Assert.Equal(fromFile.Stdout, fromStdin.Stdout);
        Assert.Contains($"Input sequence: [50 60 70]  Predicted next value: {expected[0]:F2}", fromFile.Stdout);
        Assert.Equal(2, fromFile.Stdout.Trim().Split('\n').Length);
    }

    public static TheoryData<string[], string> BadInputs => new()
    {
        { ["predict", "50,60"], "has 2 values; the model was trained on sequences of 3" },
        { ["predict", "50,60,70,80"], "has 4 values" },
        { ["predict", "50,x,70"], "is not a sequence of numbers" },
        { ["predict"], "give sequences as arguments" },
        { ["predict", "--file", "/nonexistent/inputs.txt"], "no such file" },
        { ["predict", "--file", "/"], "is a folder" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void Bad_input_is_one_line_and_exit_2(string[] args, string expected)
    {
        var (code, stdout, stderr) = InProcess.Run([.. args, "--model", modelPath]);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains(expected, Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        Assert.Equal("", stdout);
    }

    [Fact]
    public void A_missing_or_corrupt_model_is_one_line_and_exit_2()
    {
        var corrupt = temp.File("corrupt.safetensors");
        File.WriteAllBytes(corrupt, File.ReadAllBytes(modelPath)[..100]);

        var missing = InProcess.Run(["predict", "--model", temp.File("nope.safetensors"), "50,60,70"]);
        var broken = InProcess.Run(["predict", "--model", corrupt, "50,60,70"]);

        Assert.Equal(ExitCodes.Usage, missing.Code);
        Assert.Contains("no such file", missing.Stderr);
        Assert.Equal(ExitCodes.Usage, broken.Code);
        Assert.Contains("is not a usable SimpleRnnTorch model", Assert.Single(broken.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }

    [Trait("Category", "Integration")]
    [Fact]
    public void A_new_process_predicts_bit_for_bit_what_the_trained_model_did()
    {
        var result = ProcessRunner.RunApp(["predict", "--model", modelPath, "--json", "50,60,70", "10,20,30"]);

        Assert.True(result.ExitCode == 0, result.Stderr);
        var predictions = result.Stdout.Trim().Split('\n')
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("prediction").GetDouble()).ToArray();
        Assert.Equal(expected, predictions); // exact equality of doubles
    }
}
