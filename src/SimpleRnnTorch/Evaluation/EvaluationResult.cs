namespace SimpleRnnTorch.Evaluation;

/// <summary>
/// One set's outcome. Targets and predictions are kept per sample, in original units and in the same
/// order, so that a plot or a table can show more than the summary metrics.
/// </summary>
internal sealed record EvaluationResult(EvaluationSet Set, EvaluationMetrics Metrics, double[] Targets, double[] Predictions);
