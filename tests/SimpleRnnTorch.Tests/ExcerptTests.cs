using SimpleRnnTorch.Common;

namespace SimpleRnnTorch.Tests;

public sealed class ExcerptTests
{
    [Theory]
    [InlineData("50,60,70", "50,60,70")]
    [InlineData("a\nb\r\tc", "a\\nb\\r\\tc")]
    [InlineData("\u0000\u001b[2J\u007f", "\\x00\\x1b[2J\\x7f")]
    [InlineData("zero\u200Bwidth\uFFFD", "zero\\u200Bwidth\\uFFFD")]
    [InlineData("日本語 ünï", "日本語 ünï")]
    public void Escapes_what_a_terminal_would_not_show_as_it_is(string text, string expected) => Assert.Equal(expected, Excerpt.Of(text));

    [Fact]
    public void Cuts_long_text_with_an_ellipsis()
    {
        Assert.Equal(new string('x', 40) + "…", Excerpt.Of(new string('x', 20_000_000)));
        Assert.Equal(new string('x', 40), Excerpt.Of(new string('x', 40)));
        // An escape counts at its shown length, and is never cut in half.
        Assert.Equal(new string('x', 39) + "\\n…", Excerpt.Of(new string('x', 39) + "\n\n\n"));
    }
}
