using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace AzureCni.TestBed.CrashReplay;

/// <summary>One argument or result of a traced syscall: a decoded string, or a plain token with the path strace -y gave it.</summary>
public sealed record SyscallValue(string Token, byte[]? Bytes, string? Path)
{
    public long Number => long.Parse(Token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    public string Text => Bytes is null ? Token : Encoding.UTF8.GetString(Bytes);

    public bool HasFlag(string flag) => Token.Split('|').Contains(flag, StringComparer.Ordinal);
}

/// <summary>One completed syscall of a trace, in the order the calls completed.</summary>
public sealed record Syscall(int Pid, double Time, string Name, IReadOnlyList<SyscallValue> Args, SyscallValue Result)
{
    public bool Failed => Result.Token.StartsWith('-');
}

/// <summary>
/// Reads what <c>strace -f -ttt -xx -y -s N</c> writes: every string hex-escaped (so a quote or parenthesis in the
/// data never needs escaping rules), every descriptor followed by its path, a call interrupted by another thread
/// split into "&lt;unfinished ...&gt;" and "&lt;... name resumed&gt;" lines, joined again here.
/// </summary>
public static partial class StraceLog
{
    [GeneratedRegex(@"^(\d+) +(\d+\.\d+) (.*)$")]
    private static partial Regex Head();

    public static List<Syscall> Parse(IEnumerable<string> lines)
    {
        var calls = new List<Syscall>();
        var unfinished = new Dictionary<int, (double Time, string Text)>();
        foreach (string line in lines)
        {
            // strace pads the pid to a fixed width: "123   1796505176.781087 openat(...".
            var head = Head().Match(line);
            if (!head.Success)
                continue;
            int pid = int.Parse(head.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);
            double time = double.Parse(head.Groups[2].ValueSpan, CultureInfo.InvariantCulture);
            string text = head.Groups[3].Value;
            if (text.StartsWith("+++", StringComparison.Ordinal) || text.StartsWith("---", StringComparison.Ordinal))
                continue;

            const string Unfinished = " <unfinished ...>";
            if (text.EndsWith(Unfinished, StringComparison.Ordinal))
            {
                unfinished[pid] = (time, text[..^Unfinished.Length]);
                continue;
            }

            if (text.StartsWith("<... ", StringComparison.Ordinal))
            {
                int resumed = text.IndexOf(" resumed>", StringComparison.Ordinal);
                if (resumed < 0 || !unfinished.Remove(pid, out var start))
                    throw new FormatException("a resumed call without its start: " + line);
                (time, text) = (start.Time, start.Text + text[(resumed + " resumed>".Length)..]);
            }

            calls.Add(ParseCall(pid, time, text, line));
        }

        return calls;
    }

    private static Syscall ParseCall(int pid, double time, string text, string line)
    {
        int open = text.IndexOf('(', StringComparison.Ordinal);
        int close = text.LastIndexOf(") = ", StringComparison.Ordinal);
        if (open < 0 || close < open)
            throw new FormatException("not a completed syscall: " + line);

        var args = Split(text[(open + 1)..close]).Select(a => Value(a, line)).ToList();
        string result = text[(close + 4)..];
        int space = result.IndexOf(' ', StringComparison.Ordinal);
        return new Syscall(pid, time, text[..open], args, Value(space < 0 ? result : result[..space], line));
    }

    // Top-level ", " separators: strings are all \xNN, so only brackets and the -y annotations nest.
    private static List<string> Split(string args)
    {
        var parts = new List<string>();
        int depth = 0, start = 0;
        bool inString = false;
        for (int i = 0; i < args.Length; i++)
        {
            char c = args[i];
            if (c == '"' && (i == 0 || args[i - 1] != '\\'))
                inString = !inString;
            else if (!inString && c is '<' or '[' or '{')
                depth++;
            else if (!inString && c is '>' or ']' or '}')
                depth--;
            else if (!inString && depth == 0 && c == ',' && i + 1 < args.Length && args[i + 1] == ' ')
            {
                parts.Add(args[start..i]);
                start = i + 2;
            }
        }

        if (args.Length > 0)
            parts.Add(args[start..]);
        return parts;
    }

    private static SyscallValue Value(string token, string line)
    {
        if (token.StartsWith('"'))
        {
            if (token.EndsWith("...", StringComparison.Ordinal))
                throw new FormatException("a string strace cut short (raise -s): " + line);
            return new SyscallValue(token, Unescape(token[1..^1]), null);
        }

        int annotation = token.IndexOf('<', StringComparison.Ordinal);
        if (annotation > 0 && token.EndsWith('>'))
            return new SyscallValue(token[..annotation], null, Encoding.UTF8.GetString(Unescape(token[(annotation + 1)..^1])));
        return new SyscallValue(token, null, null);
    }

    private static byte[] Unescape(string escaped)
    {
        var bytes = new List<byte>(escaped.Length / 4);
        for (int i = 0; i < escaped.Length; i++)
        {
            if (escaped[i] == '\\' && i + 3 < escaped.Length && escaped[i + 1] == 'x')
            {
                bytes.Add(byte.Parse(escaped.AsSpan(i + 2, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                i += 3;
            }
            else
            {
                bytes.Add((byte)escaped[i]);
            }
        }

        return bytes.ToArray();
    }
}
