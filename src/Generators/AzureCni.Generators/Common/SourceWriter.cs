using System;
using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace AzureCni.Generators.Common;

/// <summary>An indented text writer for emitted source; multi-line strings are re-indented line by line.</summary>
internal sealed class SourceWriter
{
    private const int SpacesPerLevel = 4;
    private readonly StringBuilder _builder = new();
    private int _indentation;

    public int Indentation
    {
        get => _indentation;
        set
        {
            if (value < 0)
                Throw();
            _indentation = value;

            static void Throw() => throw new ArgumentOutOfRangeException(nameof(value));
        }
    }

    public void WriteLine() => _builder.AppendLine();

    public void WriteLine(string text)
    {
        if (text.IndexOf('\n') < 0)
        {
            AppendIndented(text);
            return;
        }

        foreach (string line in text.Replace("\r\n", "\n").Split('\n'))
            AppendIndented(line);
    }

    /// <summary>Writes <c>{</c> and indents.</summary>
    public void OpenBlock(string? header = null)
    {
        if (header is not null)
            WriteLine(header);
        WriteLine("{");
        Indentation++;
    }

    /// <summary>Unindents and writes <c>}</c> followed by <paramref name="suffix"/>.</summary>
    public void CloseBlock(string suffix = "")
    {
        Indentation--;
        WriteLine("}" + suffix);
    }

    public SourceText ToSourceText()
    {
        if (_indentation != 0)
            throw new InvalidOperationException("Unbalanced indentation in generated source.");
        return SourceText.From(_builder.ToString(), Encoding.UTF8);
    }

    public override string ToString() => _builder.ToString();

    private void AppendIndented(string line)
    {
        if (line.Length > 0)
            _builder.Append(' ', _indentation * SpacesPerLevel);
        _builder.AppendLine(line);
    }
}
