using SimpleRnnTorch.Common;
using SimpleRnnTorch.Model;
using TorchSharp.PyBridge;

namespace SimpleRnnTorch.Persistence;

/// <summary>
/// The weights as a PyTorch state_dict pickle (.pt), written by TorchSharp.PyBridge, for code that
/// expects `torch.load`. Prefer the .safetensors file: loading it can never run code, a pickle can
/// (load this one with `torch.load(path, weights_only=True)`).
/// </summary>
internal static class PyTorchExport
{
    /// <summary>model.safetensors -> model.pt.</summary>
    public static string PathBeside(string modelPath) => Path.ChangeExtension(modelPath, ".pt");

    /// <param name="beforeReplace">Runs once the new file is complete, just before it replaces the old (see <see cref="AtomicFile.Write"/>).</param>
    public static void Save(string path, SequenceRegressor model, Action? beforeReplace = null) =>
        AtomicFile.Write(path, stream => model.save_py(stream, leaveOpen: true), beforeReplace: beforeReplace);
}
