using System.Text.Json;
using Google.Protobuf;
using Onnx;
using SimpleRnnTorch.Inference;
using SimpleRnnTorch.Persistence;

namespace SimpleRnnTorch.Tests.Cli;

/// <summary>
/// Cases a hostile probe found after the run-folder, model and input checks landed: a forged run record, a lock
/// file that only looks like one, names given twice in a model, a flood of ONNX metadata, values float32 loses.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class ProbedCasesTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    private static readonly string[] SmallRun = ["--epochs", "1", "--sequences", "50", "--eval-count", "10", "-v", "0"];

    /// <summary>A folder holding a user's file, important.txt ("keep"), which no run may touch.</summary>
    private string Folder(string name) => temp.Folder(name, ("important.txt", "keep"));

    [Fact]
    public void A_forged_record_removes_only_names_a_run_writes()
    {
        var folder = Folder("forged");
        File.WriteAllText(Path.Combine(folder, RunFolder.RecordFileName),
            """{"format":"simplernntorch-run-files","version":1,"files":["history.csv","important.txt"],"models":["important.txt"]}""");

        var (code, _, stderr) = InProcess.Run([.. SmallRun, "-o", folder]);

        Assert.True(code == 0, stderr);
        Assert.Equal("keep", File.ReadAllText(Path.Combine(folder, "important.txt")));
    }

    [Fact]
    public void A_record_that_names_a_key_twice_is_refused_and_nothing_is_removed()
    {
        var folder = Folder("twice");
        File.WriteAllText(Path.Combine(folder, RunFolder.RecordFileName),
            """{"format":"simplernntorch-run-files","version":1,"files":["history.csv"],"files":["important.txt"],"models":[]}""");

        Assert.Contains("cannot be used", InProcess.OneLine(2, [.. SmallRun, "-o", folder]));
        Assert.Equal("keep", File.ReadAllText(Path.Combine(folder, "important.txt")));
    }

    [Fact]
    public void A_one_line_file_that_only_starts_like_a_lock_line_is_not_taken_for_one()
    {
        var folder = Folder("lock");
        var lockFile = Path.Combine(folder, OutputFolderLock.FileName);
        File.WriteAllText(lockFile, "#precious\n");

        var (code, _, stderr) = InProcess.Run([.. SmallRun, "-o", folder]);

        Assert.Equal(2, code);
        Assert.Contains("no run wrote", stderr);
        Assert.Equal("#precious\n", File.ReadAllText(lockFile));
    }

    [Fact]
    public void A_manifest_that_names_a_key_twice_does_not_parse()
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Dictionary<string, double>>("""{"scale_divisor":100,"scale_divisor":1}""", ModelFile.Json));
    }

    [Theory]
    [InlineData(1, "more than once")]
    [InlineData(300, "entries")]
    public void Onnx_metadata_given_twice_or_in_a_flood_is_refused_before_onnx_runtime_reads_it(int extra, string expected)
    {
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(TestPaths.RepoRoot, "samples", "SimpleRnnTorch.Service", "series.onnx")));
        for (var i = 0; i < extra; i++)
        {
            model.MetadataProps.Add(new StringStringEntryProto { Key = extra == 1 ? OnnxModelInfo.SeriesKey : $"k{i}", Value = extra == 1 ? "false" : "v" });
        }

        var path = temp.File("flood.onnx");
        File.WriteAllBytes(path, model.ToByteArray());

        Assert.Contains(expected, Assert.Throws<OnnxModelException>(() => SequenceModel.Load(path)).Message);
    }

    [Fact]
    public void A_value_float32_would_make_zero_is_refused_by_predict()
    {
        var model = Path.Combine(TestPaths.RepoRoot, "samples", "SimpleRnnTorch.Service", "model.onnx");

        Assert.Contains("too small for float32", InProcess.OneLine(2, ["predict", "-m", model, "1e-50,1,2"]));
        Assert.True(OnnxModelInfo.VanishesInFloat32(1e-50));
        Assert.False(OnnxModelInfo.VanishesInFloat32(1e-40)); // a subnormal float32 holds
        Assert.False(OnnxModelInfo.VanishesInFloat32(0));
    }
}
