using SimpleRnnTorch.Data;

namespace SimpleRnnTorch.Tests.Data;

/// <summary>The read-once memo: a second ask of an unchanged file is the first's answer, with the first reading's time.</summary>
public sealed class LastReadTests : IDisposable
{
    private readonly TempFolder temp = new();

    public void Dispose() => temp.Dispose();

    [Fact]
    public void A_second_ask_of_an_unchanged_file_is_answered_from_the_first_with_its_reading_time()
    {
        var path = temp.File("x.csv");
        File.WriteAllText(path, "v\n1\n");
        var reads = 0;
        var memo = new LastRead<string, int>(
            file =>
            {
                reads++;
                Thread.Sleep(50); // a reading that takes time
                return File.ReadAllLines(file).Length;
            },
            file => file);

        var first = memo.Get(path, out var firstTook);
        var second = memo.Get(path, out var secondTook);
        File.WriteAllText(path, "v\n1\n2\n");
        var changed = memo.Get(path);

        Assert.Equal((2, 2, 3, 2), (first, second, changed, reads));
        Assert.True(firstTook >= TimeSpan.FromMilliseconds(50), $"{firstTook}");
        Assert.Equal(firstTook, secondTook);
    }
}
