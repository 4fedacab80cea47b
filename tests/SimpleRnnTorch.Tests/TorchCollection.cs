namespace SimpleRnnTorch.Tests;

/// <summary>
/// libtorch's seed and thread count are process-wide: every test that touches torch joins this
/// collection, and xunit runs it alone, never beside another torch test.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchCollection
{
    public const string Name = "torch";
}
