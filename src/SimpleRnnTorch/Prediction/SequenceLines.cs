using System.Text;
using SimpleRnnTorch.Common;
using SimpleRnnTorch.Inference;

namespace SimpleRnnTorch.Prediction;

/// <summary>
/// The non-blank, non-comment lines of a file or of standard input, lazily, each named by its line number.
/// A line is read in blocks and refused once it passes <see cref="MaxLineChars"/>: a 20 MB line, or a file
/// with no line ends at all, costs the bound and a message, never a string of its size.
/// </summary>
internal static class SequenceLines
{
    /// <summary>
    /// The longest line read: the longest sequence a model reads (10,000 time steps, --time-steps' maximum,
    /// of 2 features, the adding task's) at 32 characters a value, e.g. "-1.2345678901234567E+038, ".
    /// </summary>
    public const int MaxLineChars = 10_000 * 2 * 32;

    public static IEnumerable<(string Source, string Text)> Read(string path) => Read(() => Open(path), $"{Excerpt.OfPath(path)} line", path);

    /// <summary>Standard input's lines; the reader stays open (it is not ours).</summary>
    public static IEnumerable<(string Source, string Text)> Read(TextReader stdin) => Read(() => stdin, "stdin line", null);

    private static IEnumerable<(string Source, string Text)> Read(Func<TextReader> open, string label, string? path)
    {
        var reader = open();
        try
        {
            var lines = new BoundedLineReader(reader, MaxLineChars);
            var number = 0;
            while (true)
            {
                string? line;
                try
                {
                    line = lines.ReadLine();
                }
                catch (IOException e)
                {
                    throw new ProgramError($"--file '{Excerpt.OfPath(path ?? "-")}' cannot be read: {e.Message.Split('\n')[0].Trim()}", FailureKind.Input);
                }
                catch (LineTooLongException e)
                {
                    throw new ProgramError($"predict: {label} {number + 1} is longer than {MaxLineChars:N0} characters, the longest sequence a model reads; " +
                                           $"it starts '{Excerpt.Of(e.Start)}'", FailureKind.Input);
                }

                if (line is null)
                {
                    yield break;
                }

                number++;
                var text = line.Trim();
                if (text.Length > 0 && !text.StartsWith('#'))
                {
                    yield return ($"{label} {number}", text);
                }
            }
        }
        finally
        {
            if (path is not null)
            {
                reader.Dispose();
            }
        }
    }

    private static TextReader Open(string file)
    {
        // Read twice (checked, then predicted), so it must be a file that ends: not a device or a FIFO (stdin is --file -).
        if (InputFileCheck.Problem(file, long.MaxValue, "") is { } problem)
        {
            throw new ProgramError($"--file '{Excerpt.OfPath(file)}'{problem}{(problem.EndsWith("not a regular file", StringComparison.Ordinal) ? "; give '-' to read standard input" : "")}", FailureKind.Input);
        }

        try
        {
            return new StreamReader(file, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new ProgramError(e is FileNotFoundException or DirectoryNotFoundException
                ? $"--file '{Excerpt.OfPath(file)}': no such file"
                : $"--file '{Excerpt.OfPath(file)}' cannot be read: {e.Message.Split('\n')[0].Trim()}", FailureKind.Input);
        }
    }

    private sealed class LineTooLongException(string start) : Exception
    {
        public string Start { get; } = start;
    }

    /// <summary>
    /// <see cref="TextReader.ReadLine"/> with a bound: lines end at \n, \r\n or \r, and one longer than the
    /// bound throws <see cref="LineTooLongException"/> holding its start, after reading no more than the bound and a block.
    /// </summary>
    private sealed class BoundedLineReader(TextReader reader, int maxChars)
    {
        private readonly char[] buffer = new char[1 << 14];
        private readonly StringBuilder line = new();
        private int start;
        private int end;
        private bool skipLineFeed;

        public string? ReadLine()
        {
            line.Clear();
            var any = false;
            while (true)
            {
                if (start == end)
                {
                    start = 0;
                    end = reader.Read(buffer, 0, buffer.Length);
                    if (end == 0)
                    {
                        return any ? line.ToString() : null; // the last line may have no line end
                    }
                }

                if (skipLineFeed)
                {
                    skipLineFeed = false;
                    if (buffer[start] == '\n')
                    {
                        start++;
                        continue;
                    }
                }

                var span = buffer.AsSpan(start, end - start);
                var at = span.IndexOfAny('\n', '\r');
                var piece = at < 0 ? span : span[..at];
                if (line.Length + piece.Length > maxChars)
                {
                    line.Append(piece[..Math.Min(piece.Length, Excerpt.Short)]);
                    throw new LineTooLongException(line.ToString(0, Math.Min(line.Length, Excerpt.Short * 2)));
                }

                line.Append(piece);
                any = true;
                if (at < 0)
                {
                    start = end;
                    continue;
                }

                skipLineFeed = span[at] == '\r';
                start += at + 1;
                return line.ToString();
            }
        }
    }
}
