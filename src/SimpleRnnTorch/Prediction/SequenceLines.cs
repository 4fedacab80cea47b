using System.Text;

namespace SimpleRnnTorch.Prediction;

/// <summary>The non-blank, non-comment lines of a file or of standard input, lazily, each named by its line number.</summary>
internal static class SequenceLines
{
    public static IEnumerable<(string Source, string Text)> Read(string path) => Read(() => Open(path), $"{path} line", path);

    /// <summary>Standard input's lines; the reader stays open (it is not ours).</summary>
    public static IEnumerable<(string Source, string Text)> Read(TextReader stdin) => Read(() => stdin, "stdin line", null);

    private static IEnumerable<(string Source, string Text)> Read(Func<TextReader> open, string label, string? path)
    {
        var reader = open();
        try
        {
            var number = 0;
            while (true)
            {
                string? line;
                try
                {
                    line = reader.ReadLine();
                }
                catch (IOException e)
                {
                    throw new ProgramError($"--file '{path ?? "-"}' cannot be read: {e.Message}");
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
        if (Directory.Exists(file))
        {
            throw new ProgramError($"--file '{file}' is a folder; give a file with one sequence per line");
        }

        try
        {
            return new StreamReader(file, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new ProgramError(e is FileNotFoundException or DirectoryNotFoundException
                ? $"--file '{file}': no such file"
                : $"--file '{file}' cannot be read: {e.Message}");
        }
    }
}
