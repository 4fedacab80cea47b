using SimpleRnnTorch.Persistence;

namespace SimpleRnnTorch.Tests.Cli;

/// <summary>
/// Every command that writes into a folder holds it as a training run does: into a folder another run
/// holds, it is one line naming that run, exit 4, and nothing written. The holder here is a lock taken in
/// this process, which the lock refuses exactly as it refuses another process's (OutputFolderLockTests has
/// the two-process case).
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class FolderLockCommandTests
{
    public static TheoryData<string[]> Writers => new()
    {
        { ["gradients", "--time-steps", "4", "--sequences", "64", "--epochs", "1", "--cells", "rnn", "--samples", "8"] },
        { ["sweep", "--time-steps", "4", "--sequences", "64", "--epochs", "1", "--cells", "rnn", "--seeds", "1", "--eval-count", "8"] },
        { ["train", "--epochs", "1", "--eval-count", "0"] },
    };

    [Theory]
    [MemberData(nameof(Writers))]
    public void A_command_into_a_folder_a_running_train_holds_is_refused_and_writes_nothing(string[] args)
    {
        using var temp = new TempFolder();
        var folder = temp.File("held");
        using (OutputFolderLock.Acquire(folder, "--output", RunFolder.Purpose))
        {
            var before = Directory.GetFiles(folder).Order().ToArray();

            var (code, stdout, stderr) = InProcess.Run([.. args, "-o", folder]);

            Assert.Equal(4, code);
            var line = Assert.Single(InProcess.Lines(stderr));
            Assert.Contains($"'{folder}' is in use by another run (pid {Environment.ProcessId}, {RunFolder.Purpose}", line);
            Assert.Equal(before, Directory.GetFiles(folder).Order().ToArray());
            Assert.DoesNotContain("Saved", stdout);
        }
    }

    [Fact]
    public void Export_into_a_held_run_folder_is_refused_and_an_unheld_folder_gets_no_lock_file()
    {
        using var temp = new TempFolder();
        var (code, _, stderr) = InProcess.Run(["train", "--epochs", "1", "--eval-count", "0", "-o", temp.File("run")]);
        Assert.True(code == 0, stderr);
        var model = temp.File("run/model.safetensors");

        using (OutputFolderLock.Acquire(temp.File("run"), "--output", RunFolder.Purpose))
        {
            var before = File.GetLastWriteTimeUtc(temp.File("run/model.onnx"));
            var refused = InProcess.Run(["export", "--model", model, "--output", temp.File("run/again.onnx")]);
            Assert.Equal(4, refused.Code);
            Assert.Single(InProcess.Lines(refused.Stderr));
            Assert.False(File.Exists(temp.File("run/again.onnx")));
            Assert.Equal(before, File.GetLastWriteTimeUtc(temp.File("run/model.onnx")));
        }

        var elsewhere = InProcess.Run(["export", "--model", model, "--output", temp.File("plain/model.onnx")]);
        Assert.True(elsewhere.Code == 0, elsewhere.Stderr);
        Assert.Equal(["model.onnx"], Directory.GetFiles(temp.File("plain")).Select(f => Path.GetFileName(f)!).ToArray());
    }
}
