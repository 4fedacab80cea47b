using SimpleRnnTorch.Common;
using SimpleRnnTorch.Data;
using SimpleRnnTorch.Model;
using SimpleRnnTorch.Persistence;
using SimpleRnnTorch.Runs;
using SimpleRnnTorch.Training;

namespace SimpleRnnTorch.Tests.Persistence;

/// <summary>
/// A run never loses what was there: a planted link is never followed, a file no run recorded is neither
/// removed nor replaced, two names of one file are one file, the previous run's model stays until the new
/// one is complete, and a write that fails is an I/O failure naming the file.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class RunFolderSafetyTests : IDisposable
{
    private static readonly string[] Lesson = ["predictions.png"];

    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    [LinuxFact]
    public void A_lock_file_planted_as_a_link_is_refused_and_its_target_untouched()
    {
        var victim = temp.File("victim.txt");
        File.WriteAllText(victim, "the user's text");
        var folder = temp.Folder("d");
        File.CreateSymbolicLink(Path.Combine(folder, OutputFolderLock.FileName), "../victim.txt");

        var error = Assert.Throws<OutputFolderException>(() => OutputFolderLock.Acquire(folder, "--output", "a test"));

        Assert.Equal(FailureKind.Input, error.Kind);
        Assert.Contains("is a symbolic link (to '../victim.txt')", error.Message);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Equal("the user's text", File.ReadAllText(victim));
        Assert.Throws<OutputFolderException>(() => OutputFolderLock.AcquireIfRunFolder(folder, "--output", "export")); // export too
    }

    [LinuxFact]
    public void A_dangling_lock_link_creates_nothing_where_it_points()
    {
        var folder = temp.Folder("d");
        File.CreateSymbolicLink(Path.Combine(folder, OutputFolderLock.FileName), "../created.txt");

        Assert.Throws<OutputFolderException>(() => OutputFolderLock.Acquire(folder, "--output", "a test"));

        Assert.False(File.Exists(temp.File("created.txt")));
    }

    [LinuxFact]
    public void A_file_under_the_lock_files_name_that_no_run_wrote_is_refused_unchanged()
    {
        // A hard link to the user's file is a regular file: only its content tells it from a lock file.
        var victim = temp.File("victim.txt");
        File.WriteAllText(victim, "the user's text\nsecond line\n");
        var folder = temp.Folder("d");
        File.Copy(victim, Path.Combine(folder, OutputFolderLock.FileName));

        var error = Assert.Throws<OutputFolderException>(() => OutputFolderLock.Acquire(folder, "--output", "a test"));

        Assert.Contains("that no run wrote", error.Message);
        Assert.Equal("the user's text\nsecond line\n", File.ReadAllText(Path.Combine(folder, OutputFolderLock.FileName)));
    }

    [Fact]
    public void A_lock_file_a_run_wrote_is_taken_again()
    {
        var folder = temp.File("d");
        OutputFolderLock.Acquire(folder, "--output", "first").Dispose();

        using var again = OutputFolderLock.Acquire(folder, "--output", "second");

        Assert.Contains("second", File.ReadAllText(Path.Combine(folder, OutputFolderLock.FileName)));
    }

    [Fact]
    public void The_users_files_that_no_run_recorded_survive_a_run_into_their_folder()
    {
        var folder = temp.Folder("user", ("predictions.png", "the user's plot"), ("model.pt", "the user's model"));
        var files = new RunFiles(folder, Path.Combine(folder, "sales_model.safetensors"), ["forecast.png", "forecast.csv"]);

        WholeRun(files);

        Assert.Equal("the user's plot", File.ReadAllText(Path.Combine(folder, "predictions.png")));
        Assert.Equal("the user's model", File.ReadAllText(Path.Combine(folder, "model.pt")));
        Assert.True(File.Exists(Path.Combine(folder, "sales_model.safetensors")));
    }

    [Fact]
    public void A_file_no_run_recorded_at_one_of_the_runs_paths_is_refused_up_front_and_kept()
    {
        var folder = temp.Folder("user", ("history.csv", "the user's history"));

        var error = Assert.Throws<OutputFolderException>(() => RunFolder.Open(new RunFiles(folder, null, Lesson) { FolderLabel = "--output" }));

        Assert.Equal(FailureKind.Input, error.Kind);
        Assert.Contains($"'{Path.Combine(folder, "history.csv")}' already exists and no run recorded writing it", error.Message);
        Assert.EndsWith("choose another --output", error.Message);
        Assert.Equal("the user's history", File.ReadAllText(Path.Combine(folder, "history.csv")));
    }

    [Fact]
    public void A_second_run_removes_exactly_what_the_first_recorded()
    {
        var folder = temp.File("run");
        var first = new RunFiles(folder, Path.Combine(folder, "first.safetensors"), ["forecast.png", "forecast.csv"]);
        WholeRun(first);
        File.WriteAllText(Path.Combine(folder, "notes.txt"), "the user's notes");

        var second = new RunFiles(folder, null, Lesson);
        WholeRun(second);

        Assert.Equal(["history.csv", "loss.png", "notes.txt", "predictions.png"], FolderFiles.Visible(folder));
        Assert.Equal(second.All.Select(Path.GetFileName).Order(), RunFolder.ReadRecord(folder, "--output")!.Files.Order());
    }

    [Fact]
    public void A_record_that_names_paths_outside_its_folder_removes_nothing_there()
    {
        var folder = temp.Folder("run");
        File.WriteAllText(temp.File("outside.txt"), "kept");
        File.WriteAllText(Path.Combine(folder, RunFolder.RecordFileName),
            """{"format":"simplernntorch-run-files","version":1,"files":["../outside.txt","/etc/hostname"],"models":[]}""");

        WholeRun(new RunFiles(folder, null, Lesson));

        Assert.Equal("kept", File.ReadAllText(temp.File("outside.txt")));
    }

    [LinuxFact]
    public void A_record_planted_as_a_link_is_refused()
    {
        var folder = temp.Folder("run");
        File.WriteAllText(temp.File("elsewhere.json"), """{"format":"simplernntorch-run-files","version":1,"files":["x"]}""");
        File.CreateSymbolicLink(Path.Combine(folder, RunFolder.RecordFileName), "../elsewhere.json");

        var error = Assert.Throws<OutputFolderException>(() => RunFolder.Open(new RunFiles(folder, null, Lesson)));

        Assert.Contains("the record of a run's files, cannot be used", error.Message);
    }

    [Fact]
    public void A_folder_an_earlier_version_wrote_counts_as_its_runs_when_its_model_is_this_programs()
    {
        var folder = temp.Folder("old");
        File.WriteAllText(Path.Combine(folder, OutputFolderLock.FileName), "#pid 1, simplernntorch train, since 10:00:00\n");
        AtomicFile.WriteAllBytes(Path.Combine(folder, RunFiles.ModelFileName), ModelFile.Encode([("w", new long[] { 1 }, new[] { 1f })], Manifest()));
        File.WriteAllText(Path.Combine(folder, "history.csv"), "epoch,loss\n1,0.5\n");
        File.WriteAllText(Path.Combine(folder, "forecast.png"), "an old run's plot");

        WholeRun(new RunFiles(folder, null, Lesson));

        Assert.False(File.Exists(Path.Combine(folder, "forecast.png")));
        Assert.False(File.Exists(Path.Combine(folder, RunFiles.ModelFileName)));
        Assert.Equal("new", File.ReadAllText(Path.Combine(folder, "history.csv")));
    }

    [Fact]
    public void Without_a_lock_file_or_a_model_a_folder_without_a_record_holds_no_runs_files()
    {
        var folder = temp.Folder("plain", ("forecast.png", "the user's plot"), (RunFiles.ModelFileName, "the user's file, not a model"));

        WholeRun(new RunFiles(folder, null, Lesson));

        Assert.Equal("the user's plot", File.ReadAllText(Path.Combine(folder, "forecast.png")));
        Assert.Equal("the user's file, not a model", File.ReadAllText(Path.Combine(folder, RunFiles.ModelFileName)));
    }

    [Fact]
    public void A_failure_writing_the_first_checkpoint_leaves_the_previous_run_whole()
    {
        var folder = temp.File("run");
        var model = Path.Combine(folder, RunFiles.ModelFileName);
        var first = new RunFiles(folder, model, Lesson);
        WholeRun(first);
        var before = FolderFiles.Snapshot(folder);

        using (var held = RunFolder.Open(first))
        {
            var writer = new CheckpointWriter(model, null!, Manifest(), held)
            {
                Save = (path, _, _, durable, beforeReplace) =>
                    AtomicFile.Write(path, _ => throw new IOException("No space left on device", 28), durable, beforeReplace),
            };

            var error = Assert.Throws<ProgramError>(() => writer.Observe(Epoch(1)));
            Assert.Equal(FailureKind.Failed, error.Kind);
            Assert.Equal($"'{model}' cannot be written: no space left on the device", error.Message);
        }

        var after = FolderFiles.Snapshot(folder);
        Assert.All(before.Keys.Where(k => k != RunFolder.RecordFileName && k != OutputFolderLock.FileName),
            name => Assert.Equal(before[name], after[name]));
    }

    [Fact]
    public void A_failure_as_the_first_checkpoint_replaces_the_model_leaves_the_previous_model()
    {
        var folder = temp.File("run");
        var model = Path.Combine(folder, RunFiles.ModelFileName);
        var first = new RunFiles(folder, model, Lesson);
        WholeRun(first);
        var oldModel = File.ReadAllBytes(model);

        using (var held = RunFolder.Open(first))
        {
            // The new file is complete, the previous run's other files are gone, and then the rename fails.
            var writer = new CheckpointWriter(model, null!, Manifest(), held)
            {
                Save = (path, _, _, durable, beforeReplace) => AtomicFile.Write(path, s => s.Write("new"u8), durable,
                    () => { beforeReplace?.Invoke(); throw new IOException("Input/output error", 5); }),
            };

            Assert.Equal(FailureKind.Failed, Assert.Throws<ProgramError>(() => writer.Observe(Epoch(1))).Kind);
        }

        Assert.Equal(oldModel, File.ReadAllBytes(model));
    }

    [Fact]
    public void The_first_checkpoint_replaces_the_previous_run_and_a_model_elsewhere_goes_after_it()
    {
        var folder = temp.File("run");
        var first = new RunFiles(folder, Path.Combine(folder, "old.safetensors"), Lesson);
        WholeRun(first);
        var model = Path.Combine(folder, "new.safetensors");
        var second = new RunFiles(folder, model, Lesson);
        var seenAtReplace = new List<string>();

        using (var held = RunFolder.Open(second))
        {
            var writer = new CheckpointWriter(model, null!, Manifest(), held)
            {
                Save = (path, _, _, durable, beforeReplace) => AtomicFile.Write(path, s => s.Write("new"u8), durable, () =>
                {
                    beforeReplace?.Invoke();
                    seenAtReplace.AddRange(FolderFiles.Visible(folder));
                }),
            };
            writer.Observe(Epoch(1));
        }

        Assert.Equal(["old.safetensors"], seenAtReplace); // the old model alone, until the new one is in place
        Assert.Equal(["new.safetensors"], FolderFiles.Visible(folder));
    }

    /// <summary>Through the pipeline: a run that fails as its first epoch ends, before any checkpoint, changes none of the earlier run's files.</summary>
    [Fact]
    public void A_run_that_fails_before_its_first_checkpoint_leaves_the_earlier_run_as_it_was()
    {
        var folder = temp.File("run");
        var plan = new ArtifactPlan(folder, ArtifactPlan.DefaultModelPath(folder));
        using (TestRuns.Train(new TrainingConfig { Epochs = 1, Seed = 1 }, data: new SequenceSpec(Count: 100), artifacts: plan).Model)
        {
        }

        var before = FolderFiles.Snapshot(folder);

        Assert.Throws<InvalidOperationException>(() => TestRuns.Train(new TrainingConfig { Epochs = 2, Seed = 2 }, data: new SequenceSpec(Count: 100),
            observers: [new FailAtFirstEpoch()], artifacts: plan));

        var after = FolderFiles.Snapshot(folder);
        Assert.All(before.Keys.Where(k => k != OutputFolderLock.FileName), name => Assert.Equal(before[name], after[name]));
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
    }

    [LinuxFact]
    public void Two_names_of_one_file_through_a_linked_folder_clash()
    {
        var data = temp.Folder("d3", ("mydata.csv", "value\n1\n"));
        Directory.CreateSymbolicLink(temp.File("d3alias"), "d3");
        var output = temp.File("out");

        var save = new RunFiles(output, Path.Combine(temp.File("d3alias"), "mydata.csv"), []).Clash(Path.Combine(data, "mydata.csv"));
        var forecast = new RunFiles(data, null, ["forecast.csv"]).Clash(Path.Combine(temp.File("d3alias"), "forecast.csv"));

        Assert.Contains("is the model file, a file this run writes or removes", save);
        Assert.Contains("is forecast.csv, a file this run writes or removes", forecast);
        Assert.Null(new RunFiles(output, Path.Combine(temp.File("d3alias"), "model.safetensors"), []).Clash(Path.Combine(data, "mydata.csv")));
    }

    [LinuxFact]
    public void A_path_resolves_as_the_kernel_resolves_it_a_link_before_its_dotdot()
    {
        Directory.CreateDirectory(temp.File("a/b/c"));
        Directory.CreateSymbolicLink(temp.File("link"), "a/b/c");
        var root = FileLinks.Resolve(temp.Path);

        Assert.Equal(Path.Combine(root, "a", "b", "c", "x.csv"), FileLinks.Resolve(temp.File("link/x.csv")));
        Assert.Equal(Path.Combine(root, "a", "b", "x.csv"), FileLinks.Resolve(temp.File("link/../x.csv")));
        Assert.Equal(Path.Combine(root, "a", "b", "c", "new", "y"), FileLinks.Resolve(temp.File("link/new/y"))); // not there yet
    }

    [LinuxFact]
    public void A_write_replaces_a_link_at_the_target_and_never_writes_through_it()
    {
        var victim = temp.File("victim.txt");
        File.WriteAllText(victim, "the user's text");
        var target = temp.File("out.csv");
        File.CreateSymbolicLink(target, victim);

        AtomicFile.WriteAllText(target, "new");

        Assert.Equal("the user's text", File.ReadAllText(victim));
        Assert.Equal(FileLinks.EntryKind.Regular, FileLinks.Kind(target));
        Assert.Equal("new", File.ReadAllText(target));
    }

    [Fact]
    public void A_write_that_fails_is_an_io_failure_naming_the_file_in_one_line()
    {
        File.WriteAllText(temp.File("blocker"), "x");
        var path = Path.Combine(temp.File("blocker"), "loss.png");

        var error = Assert.Throws<ProgramError>(() => AtomicFile.WriteAllBytes(path, [1, 2, 3]));

        Assert.Equal(FailureKind.Failed, error.Kind);
        Assert.StartsWith($"'{path}' cannot be written: ", error.Message);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Empty(Directory.GetFiles(temp.Path, AtomicFile.TemporaryPattern));
    }

    [Theory]
    [InlineData(28, true)] // ENOSPC
    [InlineData(30, true)] // EROFS
    [InlineData(5, true)] // EIO
    [InlineData(2, false)] // ENOENT: the path's
    public void A_file_system_error_is_the_machines_failure_or_the_paths(int errno, bool machines) =>
        Assert.Equal(machines ? FailureKind.Failed : FailureKind.Input, AtomicFile.KindOf(new IOException("x", errno)));

    /// <summary>A run through the folder's steps as the pipeline takes them, writing "new" into each of its files.</summary>
    private static void WholeRun(RunFiles files)
    {
        using var held = RunFolder.Open(files);
        held.BeginWriting();
        foreach (var path in files.All)
        {
            AtomicFile.WriteAllText(path, "new");
        }

        held.ClearPrevious(files.All);
    }

    private static ModelManifest Manifest() =>
        new(new ModelSpec(), new SequenceSpec(), 1, new TrainingConfig(), [], "running", "a test");

    private static EpochCompleted Epoch(int epoch) => new(new EpochResult(epoch, 0.5, null, 0.01, TimeSpan.FromMilliseconds(1)), 2);

    private sealed class FailAtFirstEpoch : ITrainingObserver
    {
        public void Observe(TrainingEvent e)
        {
            if (e is EpochCompleted)
            {
                throw new InvalidOperationException("injected: the run fails as its first epoch ends");
            }
        }
    }
}
