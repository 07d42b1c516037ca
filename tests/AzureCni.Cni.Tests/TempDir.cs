namespace AzureCni.Cni.Tests;

/// <summary>A private temporary directory holding fake plugins; removed on dispose.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = Directory.CreateTempSubdirectory("azcni-core-test-").FullName;
    }

    public string Path { get; }

    /// <summary>Writes an executable /bin/sh script named <paramref name="name"/>.</summary>
    public string Script(string name, string body)
    {
        string path = System.IO.Path.Combine(Path, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    public string File_(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
