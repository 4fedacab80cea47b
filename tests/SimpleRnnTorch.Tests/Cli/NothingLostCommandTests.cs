using System.Globalization;

namespace SimpleRnnTorch.Tests.Cli;

/// <summary>
/// The command line's side of "a run never loses what was there": each case as a user meets it, with its
/// exit code and its one line, and what is on the disk after.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class NothingLostCommandTests(TrainedModelFixture trained) : IClassFixture<TrainedModelFixture>, IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    private string Series()
    {
        var csv = temp.File("series.csv");
        File.WriteAllText(csv, "value\n" + string.Join("\n", Enumerable.Range(0, 120).Select(i => (i % 17).ToString(CultureInfo.InvariantCulture))) + "\n");
        return csv;
    }

    [LinuxFact]
    public void Train_series_train_and_export_refuse_a_lock_file_planted_as_a_link()
    {
        var victim = temp.File("victim.txt");
        File.WriteAllText(victim, "the user's text");
        var folder = temp.Folder("d");
        File.CreateSymbolicLink(Path.Combine(folder, ".simplernntorch.lock"), victim);
        File.Copy(trained.ModelPath, Path.Combine(folder, "m.safetensors"));

        foreach (var args in new[]
                 {
                     new[] { "--epochs", "1", "-v", "0", "-o", folder },
                     ["--epochs", "1", "-v", "0", "--data", Series(), "-o", folder],
                     ["export", "-m", Path.Combine(folder, "m.safetensors"), "-o", Path.Combine(folder, "m.onnx")],
                 })
        {
            Assert.Contains("is a symbolic link", InProcess.OneLine(2, args));
            Assert.Equal("the user's text", File.ReadAllText(victim));
        }

        Assert.Equal(["m.safetensors"], FolderFiles.Visible(folder));
    }

    [Fact]
    public void Export_replaces_its_own_onnx_but_refuses_a_file_it_did_not_write()
    {
        var folder = temp.Folder("exports", ("mine.onnx", "the user's notes"));
        var mine = Path.Combine(folder, "mine.onnx");
        var ours = Path.Combine(folder, "ours.onnx");

        Assert.Contains("already exists and is not an ONNX model this program wrote", InProcess.OneLine(2, ["export", "-m", trained.ModelPath, "-o", mine]));
        Assert.Equal("the user's notes", File.ReadAllText(mine));

        // An export, then the same export again: the program's own file is replaced.
        foreach (var _ in new[] { 1, 2 })
        {
            var (code, _, stderr) = InProcess.Run(["export", "-m", trained.ModelPath, "-o", ours]);
            Assert.True(code == 0, stderr);
        }

        Assert.True(OnnxMayBeReplaced(ours));
    }

    private static bool OnnxMayBeReplaced(string path) => SimpleRnnTorch.Persistence.OnnxExport.MayReplace(path);

    [Fact]
    public void A_series_run_into_a_users_folder_keeps_the_users_files()
    {
        var folder = temp.Folder("user", ("predictions.png", "the user's plot"), ("model.pt", "the user's model"));

        var (code, _, stderr) = InProcess.Run(["--epochs", "1", "-v", "0", "--data", Series(), "--save", Path.Combine(folder, "sales_model.safetensors"), "-o", folder]);

        Assert.True(code == 0, stderr);
        Assert.Equal("the user's plot", File.ReadAllText(Path.Combine(folder, "predictions.png")));
        Assert.Equal("the user's model", File.ReadAllText(Path.Combine(folder, "model.pt")));
        Assert.True(File.Exists(Path.Combine(folder, "sales_model.safetensors")));
    }

    [Fact]
    public void A_users_file_at_a_runs_path_is_refused_naming_it()
    {
        var folder = temp.Folder("user", ("history.csv", "the user's history"));

        var line = InProcess.OneLine(2, ["--epochs", "1", "-v", "0", "--no-save", "--eval-count", "0", "-o", folder]);

        Assert.Equal($"error: '{Path.Combine(folder, "history.csv")}' already exists and no run recorded writing it; this run would replace it: " +
                     "move it away or choose another --output", line);
        Assert.Equal("the user's history", File.ReadAllText(Path.Combine(folder, "history.csv")));
    }

    [Fact]
    public void A_users_file_beside_the_save_path_is_refused_pointing_at_save()
    {
        // --save's folder holds the model's .pt export path: the user's file there is --save's to avoid, not --output's.
        var models = temp.Folder("models", ("m.pt", "the user's model"));

        var line = InProcess.OneLine(2, ["--epochs", "1", "-v", "0", "--eval-count", "0", "--save", Path.Combine(models, "m.safetensors"), "-o", temp.Folder("out")]);

        Assert.EndsWith("move it away or choose another --save", line);
        Assert.Equal("the user's model", File.ReadAllText(Path.Combine(models, "m.pt")));
    }

    [LinuxFact]
    public void A_save_or_data_through_a_linked_folder_that_is_the_same_file_is_refused()
    {
        var data = Series();
        var d3 = temp.Folder("d3");
        File.Copy(data, Path.Combine(d3, "mydata.csv"));
        File.Copy(data, Path.Combine(d3, "forecast.csv"));
        Directory.CreateSymbolicLink(temp.File("d3alias"), d3);
        var before = File.ReadAllBytes(data);

        Assert.Contains("is --save, a file this run writes or removes",
            InProcess.OneLine(2, ["--epochs", "1", "--data", Path.Combine(d3, "mydata.csv"), "--save", Path.Combine(temp.File("d3alias"), "mydata.csv"), "-o", temp.File("out")]));
        Assert.Contains("is forecast.csv, a file this run writes or removes",
            InProcess.OneLine(2, ["--epochs", "1", "--data", Path.Combine(temp.File("d3alias"), "forecast.csv"), "-o", d3]));
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(d3, "mydata.csv")));
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(d3, "forecast.csv")));
    }

    [LinuxFact]
    public void Export_onto_its_own_model_through_a_linked_folder_is_refused()
    {
        var folder = temp.Folder("d");
        var model = Path.Combine(folder, "m.onnx"); // a safetensors model under an .onnx name
        File.Copy(trained.ModelPath, model);
        Directory.CreateSymbolicLink(temp.File("alias"), folder);
        var before = File.ReadAllBytes(model);

        Assert.Contains("is the model file itself", InProcess.OneLine(2, ["export", "-m", model, "-o", Path.Combine(temp.File("alias"), "m.onnx")]));
        Assert.Equal(before, File.ReadAllBytes(model));
    }
}
