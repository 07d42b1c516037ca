using System.Xml.Linq;

namespace AzureCni.Architecture.Tests;

/// <summary>
/// The project references under src/, read from the csproj files. Analyzer references (a generator run at
/// compile time, <c>ReferenceOutputAssembly="false"</c>) are not dependencies of the built code and are left out.
/// </summary>
internal sealed class ProjectGraph
{
    // Declared first: static initialisers run in text order.
    public static string RepoRoot { get; } = FindRepoRoot();

    public static ProjectGraph Source { get; } = Load(Path.Combine(RepoRoot, "src"));

    private readonly Dictionary<string, string[]> _references;

    private ProjectGraph(Dictionary<string, string[]> references) => _references = references;

    /// <summary>Every project name (the csproj file name without extension).</summary>
    public IEnumerable<string> Projects => _references.Keys;

    /// <summary>The projects <paramref name="project"/> depends on, directly or through others.</summary>
    public IReadOnlySet<string> ReferencesOf(string project)
    {
        Assert.True(_references.ContainsKey(project), $"no project {project} under src/");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(_references[project]);
        while (pending.TryPop(out string? next))
        {
            if (seen.Add(next) && _references.TryGetValue(next, out string[]? further))
            {
                foreach (string reference in further)
                    pending.Push(reference);
            }
        }
        return seen;
    }

    private static ProjectGraph Load(string root)
    {
        var references = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (string csproj in Directory.EnumerateFiles(root, "*.csproj", SearchOption.AllDirectories))
        {
            references[Path.GetFileNameWithoutExtension(csproj)] = XDocument.Load(csproj).Descendants("ProjectReference")
                .Where(r => !string.Equals((string?)r.Attribute("ReferenceOutputAssembly"), "false", StringComparison.OrdinalIgnoreCase))
                .Select(r => Path.GetFileNameWithoutExtension(((string)r.Attribute("Include")!).Replace('\\', '/')))
                .ToArray();
        }
        return new ProjectGraph(references);
    }

    private static string FindRepoRoot([System.Runtime.CompilerServices.CallerFilePath] string path = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", ".."));
}
