using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using SimpleRnnTorch.Data;
using SimpleRnnTorch.Model;
using SimpleRnnTorch.Persistence;
using SimpleRnnTorch.Runs;
using SimpleRnnTorch.Sources;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Tests.Persistence;

/// <summary>Saved models follow the task's feature count: the adding task's two features round-trip, nothing else gets in.</summary>
[Collection(TorchCollection.Name)]
public sealed class AddingModelFileTests(TrainedModelFixture lesson) : IClassFixture<TrainedModelFixture>
{
    private static TrainingRun TrainAdding() => TrainingPipeline.Run(TrainJob.Adding(6) with
    {
        Source = new AddingData(Count: 200, TimeSteps: 6),
        Model = new ModelSpec(HiddenSize: 3, Cell: CellKind.Gru),
        Training = TrainJob.Adding().Training with { Epochs = 1, Seed = 4 },
    });

    [Fact]
    public void An_adding_model_round_trips_with_its_task_and_two_features()
    {
        using var run = TrainAdding();
        using var temp = new TempFolder();
        var path = temp.File("adding.safetensors");
        ModelFile.Save(path, run.Model, run.Manifest);

        var (loaded, manifest) = ModelFile.Load(path, CPU);
        using var _ = loaded;
        double[][] inputs = [[0.1, 0, 0.5, 1, 0.2, 0, 0.9, 0, 0.3, 1, 0.7, 0]];

        Assert.Equal(SequenceTask.Adding, manifest.Task);
        Assert.Equal(2, manifest.Model.InputSize);
        Assert.Equal(12, manifest.SequenceLength);
        Assert.Equal(1.0, manifest.ScaleDivisor);
        Assert.Equal(Predictor.Predict(run.Model, run.Scaler, inputs, CPU), Predictor.Predict(loaded, manifest.Scaler, inputs, CPU));
        Assert.Equal(manifest, ModelFile.ReadManifest(path) with { History = manifest.History });
    }

    [Fact]
    public void A_manifest_without_a_task_is_the_lesson_as_files_saved_before_the_adding_task_say()
    {
        var bytes = EditManifest(ModelFile.Serialize(lesson.Model, lesson.Manifest), m => m.Remove("task"));
        var (model, manifest) = ModelFile.Deserialize(bytes, CPU);
        model.Dispose();

        Assert.Equal(SequenceTask.Arithmetic, manifest.Task);
    }

    [Theory]
    [InlineData("input_size", 2)]   // a lesson model claiming two features
    [InlineData("input_size", 3)]
    [InlineData("task", "adding")]  // a one-feature model claiming the adding task
    [InlineData("task", "copying")] // a task this program does not know
    public void A_manifest_whose_input_size_is_not_its_tasks_feature_count_is_refused(string field, object value)
    {
        var bytes = EditManifest(ModelFile.Serialize(lesson.Model, lesson.Manifest), m =>
        {
            if (field == "task")
            {
                m["task"] = (string)value;
            }
            else
            {
                m["model"]![field] = (int)value;
            }
        });
        using var temp = new TempFolder();
        var path = temp.File("edited.safetensors");
        File.WriteAllBytes(path, bytes);

        var load = Assert.Throws<ModelFileException>(() => ModelFile.Load(path, CPU));
        var read = Assert.Throws<ModelFileException>(() => ModelFile.ReadManifest(path));

        Assert.Contains(field == "task" && (string)value == "copying" ? "not valid" : "out of range", load.Message);
        Assert.Equal(load.Message, read.Message);
    }

    [Fact]
    public void Reading_the_manifest_alone_names_a_missing_or_broken_file_in_one_line()
    {
        using var temp = new TempFolder();
        var broken = temp.File("broken.safetensors");
        File.WriteAllBytes(broken, ModelFile.Serialize(lesson.Model, lesson.Manifest)[..40]);

        Assert.Equal($"'{temp.File("none.safetensors")}': no such file", Assert.Throws<ModelFileException>(() => ModelFile.ReadManifest(temp.File("none.safetensors"))).Message);
        Assert.Contains("is not a usable SimpleRnnTorch model", Assert.Throws<ModelFileException>(() => ModelFile.ReadManifest(broken)).Message);
    }

    /// <summary>The file with its manifest (JSON inside the safetensors header's JSON) edited; data and checksum kept.</summary>
    private static byte[] EditManifest(byte[] file, Action<JsonObject> edit)
    {
        var headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(file);
        var header = JsonNode.Parse(file.AsSpan(8, headerLength))!.AsObject();
        var meta = header["__metadata__"]!.AsObject();
        var manifest = JsonNode.Parse(meta["manifest"]!.GetValue<string>())!.AsObject();
        edit(manifest);
        meta["manifest"] = manifest.ToJsonString();
        var newHeader = Encoding.UTF8.GetBytes(header.ToJsonString());
        var result = new byte[8 + newHeader.Length + (file.Length - 8 - headerLength)];
        BinaryPrimitives.WriteUInt64LittleEndian(result, (ulong)newHeader.Length);
        newHeader.CopyTo(result, 8);
        file.AsSpan(8 + headerLength).CopyTo(result.AsSpan(8 + newHeader.Length));
        return result;
    }
}
