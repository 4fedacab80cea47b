namespace SimpleRnnTorch.Evaluation;

/// <summary>
/// How far predictions land from the true next values, in original units (not the scaled ones the loss
/// is computed in), so that "MAE 0.3" reads as "0.3 off the next number". The worst case is kept whole
/// (input, target, prediction) because an average hides exactly the sequences a reader wants to see.
/// WithinHalf and WithinOne are shares in [0, 1]: ±0.5 is the README's "predicts 80" criterion.
/// </summary>
internal sealed record EvaluationMetrics(
    int Count,
    double Mse,
    double Mae,
    double WorstAbsError,
    double[] WorstInput,
    double WorstTarget,
    double WorstPrediction,
    double WithinHalf,
    double WithinOne)
{
    public static EvaluationMetrics Compute(IReadOnlyList<double[]> inputs, IReadOnlyList<double> targets, IReadOnlyList<double> predictions)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(predictions);
        if (targets.Count == 0)
        {
            throw new ArgumentException("Cannot evaluate an empty set.", nameof(targets));
        }

        if (inputs.Count != targets.Count || predictions.Count != targets.Count)
        {
            throw new ArgumentException(
                $"Lengths differ: {inputs.Count} inputs, {targets.Count} targets, {predictions.Count} predictions.",
                nameof(predictions));
        }

        double squaredSum = 0, absoluteSum = 0, worst = -1;
        int worstIndex = 0, withinHalf = 0, withinOne = 0;
        for (var i = 0; i < targets.Count; i++)
        {
            var error = Math.Abs(predictions[i] - targets[i]);
            squaredSum += error * error;
            absoluteSum += error;
            withinHalf += error <= 0.5 ? 1 : 0;
            withinOne += error <= 1.0 ? 1 : 0;

            // A NaN prediction (a diverged model) must surface as the worst case, not be skipped
            // because every comparison with NaN is false. Strict '>' keeps the first of equal maxima.
            if (double.IsNaN(error) ? !double.IsNaN(worst) : error > worst)
            {
                worst = error;
                worstIndex = i;
            }
        }

        double count = targets.Count;
        return new EvaluationMetrics(
            targets.Count,
            squaredSum / count,
            absoluteSum / count,
            worst,
            [.. inputs[worstIndex]],
            targets[worstIndex],
            predictions[worstIndex],
            withinHalf / count,
            withinOne / count);
    }
}
