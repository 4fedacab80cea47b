using System.Globalization;
using System.Text.Json;
using SimpleRnnTorch.Cli;
using SimpleRnnTorch.Persistence;

namespace SimpleRnnTorch.Tests.Cli;

/// <summary>`predict --model model.onnx`: the same answers as the safetensors model, and libtorch never loaded.</summary>
[Collection(TorchCollection.Name)]
public sealed class PredictOnnxTests : IClassFixture<TrainedModelFixture>, IDisposable
{
    private readonly TempFolder temp = new();
    private readonly TrainedModelFixture trained;
    private readonly string onnxPath;

    public PredictOnnxTests(TrainedModelFixture trained)
    {
        this.trained = trained;
        onnxPath = temp.File("model.onnx");
        OnnxExport.Save(onnxPath, trained.Model, trained.Manifest);
    }

    public void Dispose() => temp.Dispose();

    [Fact]
    public void The_onnx_model_predicts_what_the_safetensors_model_does_through_the_same_command()
    {
        string[] sequences = ["50,60,70", "10,20,30", "0,10,20", "150,160,170"];
        var onnx = InProcess.Run(["predict", "--model", onnxPath, "--json", .. sequences]);
        var torch = InProcess.Run(["predict", "--model", trained.ModelPath, "--json", .. sequences]);

        Assert.True(onnx.Code == 0, onnx.Stderr);
        Assert.Equal(0, torch.Code);
        var pairs = Predictions(onnx.Stdout).Zip(Predictions(torch.Stdout)).ToList();
        Assert.Equal(sequences.Length, pairs.Count);
        Assert.All(pairs, p => Assert.True(Math.Abs(p.First - p.Second) <= 1e-4, $"{p.First} vs {p.Second}"));
    }

    [Fact]
    public void A_horizon_on_a_lessons_safetensors_says_it_is_no_series_model_rather_than_pointing_to_its_export()
    {
        // The lesson's model beside its export: --horizon on either says the same, with the safetensors path named.
        var safetensors = Path.Combine(Path.GetDirectoryName(onnxPath)!, "model.safetensors");
        File.Copy(trained.ModelPath, safetensors);

        var line = InProcess.OneLine(2, ["predict", "--model", safetensors, "--horizon", "3", "50,60,70"]);

        Assert.Equal($"error: predict: --horizon needs a series model (one a run with --data trained); '{safetensors}' predicts the next value of a sequence: leave --horizon out", line);
        Assert.Contains("--horizon needs a series model", InProcess.OneLine(2, ["predict", "--model", onnxPath, "--horizon", "3", "50,60,70"]));

        // A safetensors path that is not there is said to be missing, as without --horizon, not pointed to an export.
        var missing = Path.Combine(Path.GetDirectoryName(onnxPath)!, "gone.safetensors");
        Assert.Equal($"error: '{missing}': no such file", InProcess.OneLine(2, ["predict", "--model", missing, "--horizon", "3", "50,60,70"]));
        Assert.Equal($"error: '{missing}': no such file", InProcess.OneLine(2, ["predict", "--model", missing, "50,60,70"]));
    }

    [Fact]
    public void A_file_streams_through_in_chunks_and_keeps_every_line_in_order()
    {
        // More lines than one chunk, so the chunk boundary is crossed.
        var count = SimpleRnnTorch.Prediction.PredictionStream.ChunkSize + 5;
        var file = temp.File("many.txt");
        File.WriteAllLines(file, Enumerable.Range(0, count).Select(i => $"{i % 100},{(i % 100) + 10},{(i % 100) + 20}"));

        var (code, stdout, stderr) = InProcess.Run(["predict", "--model", onnxPath, "--file", file, "--json"]);

        Assert.True(code == 0, stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(count, lines.Length);
        using var last = JsonDocument.Parse(lines[^1]);
        Assert.Equal((count - 1) % 100, last.RootElement.GetProperty("input")[0].GetDouble());
    }

    [Fact]
    public void A_file_with_a_bad_line_prints_nothing_and_names_the_line()
    {
        var file = temp.File("bad.txt");
        File.WriteAllLines(file, [.. Enumerable.Repeat("50,60,70", 10), "50,60", "1,2,3"]);

        var (code, stdout, stderr) = InProcess.Run(["predict", "--model", onnxPath, "--file", file]);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal("", stdout);
        Assert.Contains("line 11", Assert.Single(InProcess.Lines(stderr)));
    }

    [Theory]
    [InlineData("garbage", "is not a usable ONNX model")]
    [InlineData("folder", "is a folder")]
    [InlineData("missing", "no such file")]
    public void A_bad_onnx_file_is_one_line_and_exit_2(string kind, string expected)
    {
        var path = temp.File($"{kind}.onnx");
        switch (kind)
        {
            case "garbage":
                File.WriteAllText(path, "not a protobuf");
                break;
            case "folder":
                Directory.CreateDirectory(path);
                break;
        }

        var (code, stdout, stderr) = InProcess.Run(["predict", "--model", path, "50,60,70"]);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal("", stdout);
        Assert.Contains(expected, Assert.Single(InProcess.Lines(stderr)));
    }

    [Fact]
    public void A_model_that_gives_NaN_is_refused_with_one_line_and_exit_1()
    {
        // The exported graph with NaN for its head's bias, and no checksum (as a file exported before checksums).
        var proto = OnnxExport.Build(trained.Model, trained.Manifest);
        proto.Graph.Initializer.Single(t => t.Name == "head.bias").FloatData[0] = float.NaN;
        proto.MetadataProps.Remove(proto.MetadataProps.Single(p => p.Key == Inference.OnnxModelInfo.GraphSha256Key));
        var path = temp.File("nan.onnx");
        File.WriteAllBytes(path, Google.Protobuf.MessageExtensions.ToByteArray(proto));

        var (code, stdout, stderr) = InProcess.Run(["predict", "--model", path, "50,60,70"]);

        Assert.Equal(ExitCodes.Failure, code);
        Assert.Equal("", stdout);
        Assert.Equal("error: predict: the model gives no finite prediction (NaN, and NaN for a window of ones): the model file is broken",
            Assert.Single(InProcess.Lines(stderr)));
    }

    /// <summary>
    /// An ONNX file from another program, whose graph ONNX Runtime would warn about (two initializers no node
    /// uses): its log is silenced, so stderr holds our one line and nothing before it.
    /// </summary>
    [Trait("Category", "Integration")]
    [Fact]
    public void A_foreign_onnx_file_gives_one_stderr_line_and_no_onnx_runtime_warnings()
    {
        var proto = OnnxExport.Build(trained.Model, trained.Manifest);
        proto.MetadataProps.Clear();
        foreach (var name in new[] { "unused_a", "unused_b" })
        {
            var unused = new Onnx.TensorProto { Name = name, DataType = (int)Onnx.TensorProto.Types.DataType.Float };
            unused.Dims.Add(1);
            unused.FloatData.Add(1f);
            proto.Graph.Initializer.Add(unused);
        }

        var path = temp.File("foreign.onnx");
        File.WriteAllBytes(path, Google.Protobuf.MessageExtensions.ToByteArray(proto));

        var (code, stdout, stderr) = ProcessRunner.RunApp(["predict", "--model", path, "50,60,70"]);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal("", stdout);
        Assert.EndsWith("an ONNX model without SimpleRnnTorch metadata (exported by another program?)", Assert.Single(InProcess.Lines(stderr)));
    }

    /// <summary>
    /// The real program, still running with the model loaded and a first chunk predicted (it waits on
    /// stdin for the next), and the libraries its process has mapped: ONNX Runtime's, and none of libtorch's.
    /// </summary>
    [Trait("Category", "Integration")]
    [LinuxFact]
    public void Predicting_with_onnx_never_loads_libtorch()
    {
        using var process = ProcessRunner.StartApp(["predict", "--model", onnxPath, "--file", "-"], temp.Path);
        var maps = $"/proc/{process.Id.ToString(CultureInfo.InvariantCulture)}/maps";
        // One full chunk: the program predicts it and writes its lines while stdin stays open. Written
        // from another task, because the pipe holds less than a chunk until the program reads it.
        var feed = Task.Run(() =>
        {
            for (var i = 0; i < SimpleRnnTorch.Prediction.PredictionStream.ChunkSize; i++)
            {
                process.StandardInput.WriteLine("50,60,70");
            }

            process.StandardInput.Flush();
        });

        // Readiness: the chunk's last line on stdout means the model is loaded and has run.
        var lines = 0;
        Assert.True(ProcessRunner.WaitForLine(process, line => ++lines == SimpleRnnTorch.Prediction.PredictionStream.ChunkSize), $"the first chunk was not predicted ({lines} lines)");
        feed.Wait();
        var loaded = File.ReadAllText(maps);
        process.StandardInput.WriteLine("50,60,70");
        process.StandardInput.Close();
        var rest = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(60_000), "the program did not exit after stdin closed");

        Assert.Contains("libonnxruntime", loaded);
        Assert.DoesNotContain("libtorch", loaded);
        Assert.DoesNotContain("libLibTorchSharp", loaded);
        Assert.DoesNotContain("libc10", loaded);
        Assert.Equal(0, process.ExitCode);
        Assert.StartsWith("Input sequence: [50 60 70]  Predicted next value: ", rest, StringComparison.Ordinal);
        Assert.Single(InProcess.Lines(rest));
    }

    private static List<double> Predictions(string jsonLines) =>
        jsonLines.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("prediction").GetDouble()).ToList();
}
