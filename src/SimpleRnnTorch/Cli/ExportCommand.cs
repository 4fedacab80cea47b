using System.CommandLine;
using SimpleRnnTorch.Persistence;
using SimpleRnnTorch.Runs;
using static TorchSharp.torch;

namespace SimpleRnnTorch.Cli;

/// <summary>
/// `export`: write a saved model as ONNX (what a training run already writes beside its model), for a
/// model trained before that, or to put the graph somewhere else. Runs with ONNX Runtime and
/// SimpleRnnTorch.Inference, without TorchSharp. None of the shared options applies: it loads the
/// model on the CPU and computes nothing.
/// </summary>
internal sealed class ExportCommand
{
    private const string Extension = ".onnx";

    public Option<string> Model { get; } = new("--model", "-m")
    {
        Description = "The saved model (from a training run)",
        DefaultValueFactory = _ => ArtifactPlan.DefaultModelPath(ArtifactPlan.DefaultFolder),
        HelpName = "file",
    };

    public Option<string> Output { get; } = new("--output", "-o")
    {
        Description = $"Where to write the ONNX model, a file ending in {Extension} [default: the model's path with {Extension}]",
        HelpName = "file",
    };

    public Command Build(CliConsole console)
    {
        var command = new Command("export", "Export a saved model as ONNX (opset 17), for ONNX Runtime and SimpleRnnTorch.Inference")
        {
            Model, Output,
        };
        command.Validators.Add(OptionKit.CrossCheck(result =>
        {
            var model = result.ValueOf(Model) ?? "";
            var output = result.ValueOf(Output) ?? OnnxExport.PathBeside(model);
            if (string.IsNullOrWhiteSpace(model))
            {
                result.AddError("--model must name a saved model file");
            }
            else if (string.IsNullOrWhiteSpace(output))
            {
                result.AddError($"--output must name a file ending in {Extension}");
            }
            else if (PathChecks.Same(output, model))
            {
                result.AddError($"--output '{output}' is the model file itself; give another path");
            }
            else if (!Path.GetExtension(output).Equals(Extension, StringComparison.OrdinalIgnoreCase) || string.IsNullOrEmpty(Path.GetFileNameWithoutExtension(output)))
            {
                result.AddError($"--output '{output}' must name a file ending in {Extension}");
            }
            else if (Directory.Exists(output))
            {
                result.AddError($"--output '{output}' is a folder; give a file name such as {OnnxExport.PathBeside(RunFiles.ModelFileName)}");
            }
            else if (Path.GetDirectoryName(Path.GetFullPath(output)) is { } folder && File.Exists(folder))
            {
                result.AddError($"--output '{output}': its folder '{folder}' is a file");
            }
        }));
        CliApp.SetAction(command, parse =>
        {
            var model = parse.GetValue(Model)!;
            return Run(console, model, parse.GetValue(Output) ?? OnnxExport.PathBeside(model));
        });
        return command;
    }

    public static Ending Run(CliConsole console, string modelPath, string outputPath)
    {
        // A missing or corrupt model throws ModelFileException (one line, exit 2) before anything is written,
        // and a file that is not a model at all before libtorch loads.
        _ = ModelFile.ReadManifest(modelPath);
        var (model, manifest) = ModelFile.Load(modelPath, CPU);
        using (model)
        {
            // A run's folder is held as a run holds it: no export lands among a running train's files.
            using var folder = OutputFolderLock.AcquireIfRunFolder(Path.GetDirectoryName(Path.GetFullPath(outputPath))!, "--output's folder", "simplernntorch export");
            OnnxExport.Save(outputPath, model, manifest);
        }

        var spec = manifest.Model;
        console.Out.WriteLine($"Exported {modelPath} -> {outputPath} ({spec.Cell.ToString().ToLowerInvariant()}, hidden {spec.HiddenSize}, " +
                              $"layers {spec.Layers}, {manifest.TimeSteps} time steps)");
        return Ending.Completed;
    }
}
