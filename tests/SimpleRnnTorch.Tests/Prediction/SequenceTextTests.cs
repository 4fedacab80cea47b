using SimpleRnnTorch.Prediction;

namespace SimpleRnnTorch.Tests.Prediction;

/// <summary>A sequence as a user types it: the separators read, and what is refused rather than read as other values.</summary>
public sealed class SequenceTextTests
{
    [Theory]
    [InlineData("50,60,70")]
    [InlineData("50 60 70")]
    [InlineData("[50, 60, 70]")]
    [InlineData("50;60;70")]
    [InlineData("50\t60\t70")]
    [InlineData("50,60,70,")] // a loose separator at the end
    [InlineData(" ,50, 60 ,70")]
    [InlineData("50;60;70;")]
    [InlineData("[50 ,60 ,70 ,]")]
    public void Commas_semicolons_and_spaces_separate_values(string text)
    {
        Assert.Null(SequenceText.Problem(text, out var values));
        Assert.Equal([50.0, 60, 70], values);
    }

    [Theory]
    [InlineData("317,6;391,8;410,6", "has both ',' and ';' between its values: a decimal comma (317,6) reads as two values")]
    [InlineData("317,6 391,8 410,6", "separates its values with both ',' and spaces: a decimal comma (317,6 391,8) reads as two values")]
    [InlineData("317,6\t391,8", "separates its values with both ',' and spaces")]
    [InlineData("1,2 3", "separates its values with both ',' and spaces")]
    [InlineData("1;2 3", "separates its values with both ';' and spaces")]
    [InlineData("1,2,,4", "has no value between two separators (value 3 is missing)")]
    [InlineData("1; ;3", "has no value between two separators (value 2 is missing)")]
    [InlineData("1,2,NA,4", "holds 'NA' (value 3), a missing value")]
    [InlineData("1 NaN 3", "holds 'NaN' (value 2), a missing value")]
    [InlineData("1,x,3", "is not a sequence of numbers such as 50,60,70")]
    [InlineData("1,1e39", "holds '1e39' (value 2), beyond float32's range")]
    public void A_value_left_out_or_written_otherwise_is_refused_naming_it(string text, string expected)
    {
        Assert.Contains(expected, SequenceText.Problem(text, out _));
    }

    /// <summary>Values as messages show them: NumPy's style, and a value too small or large for four decimals in exponent form, not 0.</summary>
    [Fact]
    public void Values_are_shown_as_numpy_does_and_tiny_ones_not_as_zero()
    {
        Assert.Equal("[50 60.5 0.0001 0]", SequenceText.Format([50, 60.5, 0.0001, 0]));
        Assert.Equal("[1E-40 -2.5E-07 1E+20]", SequenceText.Format([1e-40, -2.5e-7, 1e20]));
    }
}
