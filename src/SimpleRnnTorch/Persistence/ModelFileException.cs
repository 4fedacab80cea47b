using SimpleRnnTorch.Common;

namespace SimpleRnnTorch.Persistence;

/// <summary>A model file that cannot be used: missing, unreadable, truncated, corrupted or of another kind.</summary>
internal sealed class ModelFileException(string message) : ProgramError(message, FailureKind.Input);
