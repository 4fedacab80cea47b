using SimpleRnnTorch.Cli;

namespace SimpleRnnTorch.Tests.Cli;

/// <summary>A list option (`--plot-series`) read as a CSV row writes ids: one holding a comma or a quote can be named.</summary>
public sealed class OptionListTests
{
    [Theory]
    [InlineData("north, south", new[] { "north", "south" })]
    [InlineData("\"a,b\",x", new[] { "a,b", "x" })]
    [InlineData("\"say \"\"hi\"\"\", x", new[] { "say \"hi\"", "x" })]
    [InlineData(" \"a,b\" ,\"\"", new[] { "a,b", "" })]
    [InlineData("a,,b", new[] { "a", "", "b" })]
    public void Ids_are_split_as_a_csv_row(string text, string[] expected) => Assert.Equal(expected, OptionKit.SplitList(text));

    [Fact]
    public void A_quote_left_open_is_no_list() => Assert.Null(OptionKit.SplitList("\"a,b"));
}
