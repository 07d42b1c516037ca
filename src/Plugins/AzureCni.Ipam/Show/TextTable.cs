using System.Text;

namespace AzureCni.Ipam.Show;

/// <summary>Plain text columns, each as wide as its widest cell, two spaces apart: the `show` commands' output.</summary>
public sealed class TextTable(params string[] headers)
{
    private readonly List<string[]> _rows = [headers];

    public int Count => _rows.Count - 1;

    public void Add(params string[] cells) => _rows.Add(cells);

    public void WriteTo(StringBuilder output)
    {
        var widths = new int[headers.Length];
        foreach (var row in _rows)
        {
            for (int i = 0; i < row.Length; i++)
                widths[i] = Math.Max(widths[i], row[i].Length);
        }

        foreach (var row in _rows)
        {
            var line = new StringBuilder();
            for (int i = 0; i < row.Length; i++)
                line.Append(i == row.Length - 1 ? row[i] : row[i].PadRight(widths[i] + 2));
            output.Append(line.ToString().TrimEnd()).Append('\n');
        }
    }
}
