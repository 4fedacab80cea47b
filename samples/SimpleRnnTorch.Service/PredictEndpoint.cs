using System.Text.Json;
using SimpleRnnTorch.Inference;

namespace SimpleRnnTorch.Service;

/// <summary>
/// POST /predict: <c>{"sequences": [[50, 60, 70], ...]}</c> → <c>{"predictions": [80.0, ...]}</c>.
/// The body is read and checked here rather than bound by the framework, so that every way it can be
/// wrong is answered with a 400 problem+json that says what is wrong, and never reaches the model.
/// </summary>
internal static class PredictEndpoint
{
    /// <summary>Sequences per request: it bounds the memory and time one request can hold (a graph run of
    /// 4096 takes about 0.6 ms on one core); more belongs in several requests, or in <c>predict --file</c>.</summary>
    public const int MaxSequences = 4096;

    /// <summary>Invalid sequences listed by name in one answer; the rest are counted.</summary>
    private const int MaxListedErrors = 10;

    public const string Example = """{"sequences": [[50, 60, 70]]}""";

    public static Task<IResult> HandleAsync(HttpContext context, SequenceModel model, ServiceMetrics metrics) =>
        RequestBody.HandleJsonAsync(context, $"send at most {MaxSequences} sequences per request", root => Predict(root, model, metrics));

    private static IResult Predict(JsonElement root, SequenceModel model, ServiceMetrics metrics)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("sequences", out var sequences))
        {
            return BadRequest($"the body must be an object with a \"sequences\" array, e.g. {Example}");
        }

        if (sequences.ValueKind != JsonValueKind.Array)
        {
            return BadRequest($"\"sequences\" must be an array of sequences, not {Describe(sequences)}, e.g. {Example}");
        }

        var count = sequences.GetArrayLength();
        if (count == 0)
        {
            return BadRequest("\"sequences\" is empty: send at least one sequence");
        }

        if (count > MaxSequences)
        {
            return BadRequest($"\"sequences\" holds {count} sequences; at most {MaxSequences} are allowed per request");
        }

        var length = model.SequenceLength;
        var inputs = new float[count * length];
        var errors = new Dictionary<string, string[]>();
        var invalid = 0;
        var index = 0;
        foreach (var sequence in sequences.EnumerateArray())
        {
            var window = inputs.AsSpan(index * length, length);
            if ((ReadSequence(sequence, window) ?? model.Info.WindowProblem(window) ?? model.Info.SizeProblem([.. window.ToArray().Select(v => (double)v)])) is { } error
                && ++invalid <= MaxListedErrors)
            {
                errors[$"sequences[{index}]"] = [error];
            }

            index++;
        }

        if (invalid > 0)
        {
            var listed = invalid > MaxListedErrors ? $"; the first {MaxListedErrors} are listed" : "";
            return TypedResults.ValidationProblem(errors, title: "Invalid sequences",
                detail: $"invalid sequences: {invalid} of {count}{listed}. Each must hold {length} numbers (the model's time steps × features).");
        }

        if (ModelFault.Problem(model) is { } fault)
        {
            return fault;
        }

        var outputs = new float[count];
        using (metrics.TimeInference("predict"))
        {
            model.Predict(inputs, count, outputs);
        }

        metrics.SequencesPerRequest.Observe(count);

        // Inputs near float32's limit can overflow inside the graph; JSON has no NaN or infinity to answer with.
        var overflow = Array.FindIndex(outputs, v => !float.IsFinite(v));
        if (overflow >= 0)
        {
            return BadRequest($"sequences[{overflow}] gives no finite prediction: its values are too large for the model");
        }

        return TypedResults.Ok(new PredictResponse(outputs));
    }

    /// <summary>Copies one sequence into <paramref name="destination"/>, or says what is wrong with it.</summary>
    private static string? ReadSequence(JsonElement sequence, Span<float> destination)
    {
        if (sequence.ValueKind != JsonValueKind.Array)
        {
            return $"must be an array of {destination.Length} numbers, not {Describe(sequence)}";
        }

        var length = sequence.GetArrayLength();
        if (length != destination.Length)
        {
            return $"has {length} values; the model takes sequences of {destination.Length}";
        }

        var t = 0;
        foreach (var value in sequence.EnumerateArray())
        {
            if (value.ValueKind != JsonValueKind.Number)
            {
                return $"value {t} is {Describe(value)}; every value must be a number";
            }

            // The model runs in float32: a number beyond its range is refused rather than made infinite.
            if (!value.TryGetDouble(out var number) || !(Math.Abs(number) <= float.MaxValue))
            {
                return $"value {t} is beyond float32's range (±3.4e38)";
            }

            if (OnnxModelInfo.VanishesInFloat32(number))
            {
                return $"value {t} is too small for float32 (it would become 0; the smallest nonzero is 1.4e-45)";
            }

            destination[t++] = (float)number;
        }

        return null;
    }

    internal static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Number => "a number",
        JsonValueKind.String => "a string",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => element.ValueKind.ToString(),
    };

    private static IResult BadRequest(string detail) => Problems.BadRequest(detail);
}
