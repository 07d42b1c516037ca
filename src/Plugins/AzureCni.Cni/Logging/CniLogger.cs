using System.Diagnostics.CodeAnalysis;
using Serilog;
using Serilog.Core;
using Serilog.Core.Enrichers;
using Serilog.Events;
using Serilog.Parsing;

namespace AzureCni.Cni.Logging;

/// <summary>
/// The Serilog <see cref="ILogger"/> of one plugin invocation: Serilog's message templates, events, enrichers,
/// sinks and formatters, with the pipeline a process that logs a few lines and exits needs (level check,
/// template binding, enrichment, one sink) instead of the one <c>LoggerConfiguration.CreateLogger</c> builds.
/// That one costs every NativeAOT start-up of the plugins: its self-metrics class constructor reads the
/// assembly's name through reflection (about 0.2 M instructions on every logged call), and its reflection-based
/// destructuring keeps ~150 types with static fields in the image, each allocated before <c>Main</c>.
/// Property values are captured as Serilog captures the plugins' arguments (strings and numbers): scalars, with
/// <c>{$Name}</c> stringified. Like Serilog's logger, it never throws: a failing enricher or sink drops the event.
/// </summary>
public sealed class CniLogger : ILogger, IDisposable
{
    private readonly LogEventLevel _minimum;
    private readonly ILogEventEnricher[] _enrichers;
    private readonly ILogEventSink _sink;
    private readonly bool _ownsSink;

    public CniLogger(LogEventLevel minimum, ILogEventSink sink, params ILogEventEnricher[] enrichers)
        : this(minimum, sink, enrichers, ownsSink: true)
    {
    }

    private CniLogger(LogEventLevel minimum, ILogEventSink sink, ILogEventEnricher[] enrichers, bool ownsSink)
    {
        _minimum = minimum;
        _sink = sink;
        _enrichers = enrichers;
        _ownsSink = ownsSink;
    }

    public bool IsEnabled(LogEventLevel level) => level >= _minimum;

    public void Write(LogEvent logEvent)
    {
        if (logEvent is not null && IsEnabled(logEvent.Level))
            Dispatch(logEvent);
    }

    public void Write(LogEventLevel level, Exception? exception, string messageTemplate, params object?[]? propertyValues)
    {
        if (!IsEnabled(level) || messageTemplate is null)
            return;
        // Serilog's guard: a single non-object array passed as the params array is one value.
        if (propertyValues is not null && propertyValues.GetType() != typeof(object[]))
            propertyValues = [propertyValues];
        if (BindMessageTemplate(messageTemplate, propertyValues, out var template, out var properties))
            Dispatch(new LogEvent(LocalClock.Now(), level, exception, template, properties));
    }

    public bool BindMessageTemplate(string messageTemplate, object?[]? propertyValues,
        [NotNullWhen(true)] out MessageTemplate? parsedTemplate, [NotNullWhen(true)] out IEnumerable<LogEventProperty>? boundProperties)
    {
        if (messageTemplate is null)
        {
            parsedTemplate = null;
            boundProperties = null;
            return false;
        }

        parsedTemplate = new MessageTemplateParser().Parse(messageTemplate);
        boundProperties = Bind(parsedTemplate, propertyValues ?? []);
        return true;
    }

    public bool BindProperty(string? propertyName, object? value, bool destructureObjects, [NotNullWhen(true)] out LogEventProperty? property)
    {
        if (!LogEventProperty.IsValidName(propertyName))
        {
            property = null;
            return false;
        }

        property = new LogEventProperty(propertyName, Capture(value, Destructuring.Default));
        return true;
    }

    public ILogger ForContext(ILogEventEnricher enricher) =>
        enricher is null ? this : new CniLogger(_minimum, _sink, [.. _enrichers, enricher], ownsSink: false);

    public ILogger ForContext(string propertyName, object? value, bool destructureObjects = false) =>
        LogEventProperty.IsValidName(propertyName) ? ForContext(new PropertyEnricher(propertyName, value, destructureObjects)) : this;

    public void Dispose()
    {
        if (_ownsSink)
            (_sink as IDisposable)?.Dispose();
    }

    private void Dispatch(LogEvent logEvent)
    {
        try
        {
            var factory = new PropertyFactory();
            foreach (ILogEventEnricher enricher in _enrichers)
                enricher.Enrich(logEvent, factory);
            _sink.Emit(logEvent);
        }
        catch (Exception)
        {
            // As Serilog's pipeline: logging never fails the caller.
        }
    }

    // As Serilog binds: when every property of the template is positional ({0}), each takes the value at its
    // index; otherwise they take the values in the order they appear. A later property of the same name wins.
    private static List<LogEventProperty> Bind(MessageTemplate template, object?[] values)
    {
        bool positional = true;
        foreach (MessageTemplateToken token in template.Tokens)
            positional &= token is not PropertyToken { IsPositional: false };

        var properties = new List<LogEventProperty>();
        int next = 0;
        foreach (MessageTemplateToken token in template.Tokens)
        {
            if (token is not PropertyToken property)
                continue;
            int index = positional && property.TryGetPositionalValue(out int position) ? position : next++;
            if (index < values.Length)
                properties.Add(new LogEventProperty(property.PropertyName, Capture(values[index], property.Destructuring)));
        }

        // Values beyond the named properties are kept as Serilog keeps them, as __<index>.
        for (int extra = positional ? values.Length : next; extra < values.Length; extra++)
            properties.Add(new LogEventProperty("__" + extra, Capture(values[extra], Destructuring.Default)));
        return properties;
    }

    private static ScalarValue Capture(object? value, Destructuring destructuring) =>
        destructuring == Destructuring.Stringify ? new ScalarValue(value?.ToString()) : new ScalarValue(value);

    private sealed class PropertyFactory : ILogEventPropertyFactory
    {
        public LogEventProperty CreateProperty(string name, object? value, bool destructureObjects = false) =>
            new(name, Capture(value, Destructuring.Default));
    }
}
