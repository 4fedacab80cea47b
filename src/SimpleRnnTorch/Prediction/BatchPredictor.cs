using SimpleRnnTorch.Inference;
using SimpleRnnTorch.Model;
using SimpleRnnTorch.Persistence;
using SimpleRnnTorch.Scaling;

namespace SimpleRnnTorch.Prediction;

/// <summary>
/// A saved model that predicts a batch of sequences in original units, by one of two backends: an .onnx
/// export on ONNX Runtime (<see cref="Onnx"/>; no libtorch is loaded), or the safetensors file on libtorch
/// as training left it (<see cref="Torch"/>).
/// </summary>
internal abstract class BatchPredictor : IDisposable
{
    /// <summary>Values per sequence: time steps × features.</summary>
    public abstract int SequenceLength { get; }

    public abstract int Features { get; }

    /// <summary>How the model scales a window (<see cref="Inference.OnnxModelInfo.Scaling"/>'s names): a ratio needs positive last values.</summary>
    public abstract string Scaling { get; }

    /// <summary>Reads <paramref name="count"/> sequences from <paramref name="inputs"/> and writes their predictions.</summary>
    public abstract void Predict(float[] inputs, int count, double[] outputs);

    public abstract void Dispose();

    /// <summary>The prediction for one window of ones: a finite window gives a finite value unless the model itself is broken.</summary>
    public double SelfCheck()
    {
        var inputs = new float[SequenceLength];
        Array.Fill(inputs, 1f);
        var output = new double[1];
        Predict(inputs, 1, output);
        return output[0];
    }

    /// <summary>True when the model is an ONNX export: predicting then never needs libtorch.</summary>
    public static bool IsOnnx(string modelPath) => modelPath.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase);

    public static BatchPredictor Load(string modelPath, int threads) => IsOnnx(modelPath) ? Onnx.Open(modelPath, threads) : Torch.Open(modelPath, threads);

    /// <summary>ONNX Runtime on the exported graph: no TorchSharp type is touched on this path.</summary>
    private sealed class Onnx(SequenceModel model) : BatchPredictor
    {
        private float[] scratch = [];

        public override int SequenceLength => model.SequenceLength;

        public override int Features => model.Info.Features;

        public override string Scaling => model.Info.Scaling;

        public static Onnx Open(string path, int threads) => new(SequenceModel.Load(path, threads));

        public override void Predict(float[] inputs, int count, double[] outputs)
        {
            if (scratch.Length < count)
            {
                scratch = new float[count];
            }

            model.Predict(inputs, count, scratch);
            for (var i = 0; i < count; i++)
            {
                outputs[i] = scratch[i];
            }
        }

        public override void Dispose() => model.Dispose();
    }

    /// <summary>libtorch on the safetensors model.</summary>
    private sealed class Torch(SequenceRegressor model, SequenceScaler scaler, int timeSteps) : BatchPredictor
    {
        public override int SequenceLength => timeSteps * Features;

        public override int Features => model.Spec.InputSize;

        public override string Scaling => scaler.Name;

        public static Torch Open(string path, int threads)
        {
            _ = ModelFile.ReadManifest(path); // a bad file is refused before libtorch loads
            TorchSharp.torch.set_num_threads(threads);
            var (model, manifest) = ModelFile.Load(path, TorchSharp.torch.CPU);
            return new Torch(model, manifest.Scaler, manifest.TimeSteps);
        }

        public override void Predict(float[] inputs, int count, double[] outputs) =>
            Predictor.Predict(model, scaler, inputs.AsSpan(0, count * SequenceLength), count, timeSteps, TorchSharp.torch.CPU, outputs);

        public override void Dispose() => model.Dispose();
    }
}
