#:package OnnxSharp
#:package Google.Protobuf
// Writes a copy of a SimpleRnnTorch model.onnx marked as a series model, with the forecast metadata that
// SimpleRnnTorch.Inference reads (OnnxModelInfo: series, interval_level, interval_lower, interval_upper), so that
// POST /forecast can be tried and measured on a model whose training run did not write them. The offsets are
// the ones given here, not measured: the interval it gives means nothing about the model.
//   dotnet run samples/PredictLoad/MarkSeries.cs -- IN.onnx OUT.onnx [HORIZON=10] [LEVEL=0.8] [HALF_WIDTH_PER_STEP=1]
using System.Globalization;
using Google.Protobuf;
using Onnx;

var (input, output) = (args[0], args[1]);
var horizon = int.Parse(args.ElementAtOrDefault(2) ?? "10", CultureInfo.InvariantCulture);
var level = args.ElementAtOrDefault(3) ?? "0.8";
var width = double.Parse(args.ElementAtOrDefault(4) ?? "1", CultureInfo.InvariantCulture);

var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(input));
string Offsets(double sign) => string.Join(',', Enumerable.Range(1, horizon).Select(h => (sign * width * h).ToString("R", CultureInfo.InvariantCulture)));
foreach (var (key, value) in new[] { ("series", "true"), ("interval_level", level), ("interval_lower", Offsets(-1)), ("interval_upper", Offsets(1)) })
{
    if (model.MetadataProps.FirstOrDefault(p => p.Key == key) is { } existing)
    {
        model.MetadataProps.Remove(existing);
    }

    model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
}

File.WriteAllBytes(output, model.ToByteArray());
Console.WriteLine($"{output}: a series model, horizons 1..{horizon}, level {level}");
