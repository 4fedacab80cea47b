namespace SimpleRnnTorch.Reporting;

/// <summary>A model file that cannot be used: missing, unreadable, truncated, corrupted or of another kind.</summary>
public sealed class ModelFileException(string message) : Exception(message);
