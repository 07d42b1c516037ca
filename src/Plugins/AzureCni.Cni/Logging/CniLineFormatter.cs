using System.Globalization;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Json;
using Serilog.Parsing;

namespace AzureCni.Cni.Logging;

/// <summary>
/// The plugins' log line, <see cref="CniLog.OutputTemplate"/>, rendered as Serilog's
/// <c>MessageTemplateTextFormatter</c> renders that output template (CniLoggerTests compares the two), without
/// that formatter: its <c>{Properties}</c> renderer calls LINQ's <c>Select</c>, a generic virtual call, and one of
/// those anywhere in the image keeps NativeAOT's type loader and its static bases in every start.
/// The message is rendered as <c>{Message:lj}</c>: string values as they are, other values without a format as JSON.
/// </summary>
internal sealed class CniLineFormatter : ITextFormatter
{
    public static readonly CniLineFormatter Instance = new();

    private static readonly JsonValueFormatter s_json = new("$type");

    // Serilog's {Level:u3} monikers, by level.
    private static readonly string[] s_levels = ["VRB", "DBG", "INF", "WRN", "ERR", "FTL"];

    public void Format(LogEvent logEvent, TextWriter output)
    {
        CultureInfo invariant = CultureInfo.InvariantCulture;
        output.Write(logEvent.Timestamp.ToString("yyyy-MM-ddTHH:mm:ss.fffzzz", invariant));
        output.Write(" [");
        int level = (int)logEvent.Level;
        output.Write(level >= 0 && level < s_levels.Length ? s_levels[level] : logEvent.Level.ToString().ToUpperInvariant());
        output.Write("] pid=");
        if (logEvent.Properties.TryGetValue("ProcessId", out LogEventPropertyValue? pid))
        {
            if (pid is ScalarValue { Value: string text })
                output.Write(text);
            else
                pid.Render(output, null, invariant);
        }
        output.Write(' ');
        WriteMessage(logEvent, output, invariant);
        output.Write(Environment.NewLine);
        if (logEvent.Exception is { } exception)
        {
            // {Exception}: the exception's own text (type, message, stack) and a line end, as Serilog renders it.
            output.Write(exception.ToString());
            output.Write(Environment.NewLine);
        }
    }

    private static void WriteMessage(LogEvent logEvent, TextWriter output, CultureInfo invariant)
    {
        foreach (MessageTemplateToken token in logEvent.MessageTemplate.Tokens)
        {
            if (token is TextToken text)
            {
                output.Write(text.Text);
                continue;
            }

            var property = (PropertyToken)token;
            if (!logEvent.Properties.TryGetValue(property.PropertyName, out LogEventPropertyValue? value))
            {
                output.Write(property.ToString());
                continue;
            }

            if (property.Alignment is not { } alignment)
            {
                WriteValue(value, property.Format, output, invariant);
                continue;
            }

            var aligned = new StringWriter(invariant);
            WriteValue(value, property.Format, aligned, invariant);
            string rendered = aligned.ToString();
            string padding = new(' ', Math.Max(0, alignment.Width - rendered.Length));
            output.Write(alignment.Direction == AlignmentDirection.Left ? rendered + padding : padding + rendered);
        }
    }

    private static void WriteValue(LogEventPropertyValue value, string? format, TextWriter output, CultureInfo invariant)
    {
        if (value is ScalarValue { Value: string text })
            output.Write(text);
        else if (format is null)
            s_json.Format(value, output);
        else
            value.Render(output, format, invariant);
    }
}
