using SimpleRnnTorch.Data;
using SimpleRnnTorch.Evaluation;

namespace SimpleRnnTorch.Tests.Evaluation;

public sealed class EvaluationSetTests
{
    [Fact]
    public void Standard_sets_move_one_property_away_from_training()
    {
        var training = new SequenceSpec(Count: 1000, TimeSteps: 4, Step: 10, StartMin: 0, StartMax: 100);

        var sets = EvaluationSet.Standard(training, count: 250);

        Assert.Equal(["test", "starts 100-200", "starts 500-1000", "step 5", "step 20"], sets.Select(s => s.Name));
        Assert.Equal(new SequenceSpec(250, 4, 10, 0, 100), sets[0].Spec);
        Assert.Equal(new SequenceSpec(250, 4, 10, 100, 200), sets[1].Spec);
        Assert.Equal(new SequenceSpec(250, 4, 10, 500, 1000), sets[2].Spec);
        Assert.Equal(new SequenceSpec(250, 4, 5, 0, 100), sets[3].Spec);
        Assert.Equal(new SequenceSpec(250, 4, 20, 0, 100), sets[4].Spec);
    }

    [Fact]
    public void Standard_defaults_to_1000_sequences_per_set()
    {
        Assert.All(EvaluationSet.Standard(new SequenceSpec(Count: 50)), s => Assert.Equal(1000, s.Spec.Count));
    }

    [Fact]
    public void Standard_rejects_an_empty_count()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => EvaluationSet.Standard(new SequenceSpec(), count: 0));
    }
}
