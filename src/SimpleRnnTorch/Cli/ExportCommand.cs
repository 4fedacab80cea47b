using System.CommandLine;
using SimpleRnnTorch.Common;
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
        CliApp.SetAction(command, parse =>
        {
            var request = Bind(parse);
            return Problem(request) is { } problem ? throw new ProgramError(problem, FailureKind.Input) : Run(console, request.Model, request.Output);
        });
        return command;
    }

    /// <summary>What the options ask for: the saved model to read and the ONNX file to write (by default beside the model).</summary>
    public sealed record Request(string Model, string Output);

    private Request Bind(ParseResult parse)
    {
        var model = parse.GetValue(Model)!;
        return new(model, parse.GetValue(Output) ?? OnnxExport.PathBeside(model));
    }

    /// <summary>The one check of a bound request, before the model is read: both paths name files, and the ONNX file is not the model. The first problem is reported.</summary>
    public static string? Problem(Request request)
    {
        var (model, output) = (request.Model, request.Output);
        if (string.IsNullOrWhiteSpace(model))
        {
            return "--model must name a saved model file";
        }

        if (string.IsNullOrWhiteSpace(output))
        {
            return $"--output must name a file ending in {Extension}";
        }

        if (PathChecks.Same(output, model))
        {
            return $"--output '{output}' is the model file itself; give another path";
        }

        if (!Path.GetExtension(output).Equals(Extension, StringComparison.OrdinalIgnoreCase) || string.IsNullOrEmpty(Path.GetFileNameWithoutExtension(output)))
        {
            return $"--output '{output}' must name a file ending in {Extension}";
        }

        if (Directory.Exists(output))
        {
            return $"--output '{output}' is a folder; give a file name such as {OnnxExport.PathBeside(RunFiles.ModelFileName)}";
        }

        return Path.GetDirectoryName(Path.GetFullPath(output)) is { } folder && File.Exists(folder) ? $"--output '{output}': its folder '{folder}' is a file" : null;
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
            if (!OnnxExport.MayReplace(outputPath))
            {
                throw new ProgramError($"--output '{Excerpt.OfPath(outputPath)}' already exists and is not an ONNX model this program wrote; " +
                                       "the export would replace it: move it away or choose another --output", FailureKind.Input);
            }

            OnnxExport.Save(outputPath, model, manifest);
        }

        var spec = manifest.Model;
        console.Out.WriteLine($"Exported {modelPath} -> {outputPath} ({spec.Cell.ToString().ToLowerInvariant()}, hidden {spec.HiddenSize}, " +
                              $"layers {spec.Layers}, {manifest.TimeSteps} time steps)");
        return Ending.Completed;
    }
}
