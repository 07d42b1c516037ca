using System.Diagnostics;

namespace AzureCni.Cni.Processes;

/// <summary>
/// <see cref="ChildProcess"/> where posix_spawn does not exist (Windows): System.Diagnostics.Process with the same
/// contract (the given environment only, the config on stdin, stdout captured and capped, stderr inherited).
/// It works on Linux too, which is where its tests run.
/// </summary>
internal static class ManagedChildProcess
{
    public static ProcessExit Run(string path, IReadOnlyList<string> arguments, IEnumerable<KeyValuePair<string, string>> environment, ReadOnlySpan<byte> stdin)
    {
        var start = new ProcessStartInfo(path)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);

        start.Environment.Clear();
        foreach (var (key, value) in environment)
            start.Environment[key] = value;

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("no process was started");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new CniException(CniErrorCode.IOFailure, $"running {path} failed: {e.Message}");
        }

        using (process)
        {
            // Read stdout while stdin is written: a plugin that answers before reading all of its input must not
            // block on a full pipe while we block on its stdin.
            var output = Task.Run(() => ReadCapped(path, process.StandardOutput.BaseStream));
            try
            {
                process.StandardInput.BaseStream.Write(stdin);
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // It exited, or closed stdin, without reading everything: its exit status tells the rest.
            }

            byte[] stdout;
            try
            {
                stdout = output.GetAwaiter().GetResult();
            }
            finally
            {
                if (output.IsFaulted && !process.HasExited)
                    process.Kill(entireProcessTree: true);

                process.WaitForExit();
            }

            return new ProcessExit(process.ExitCode, 0, stdout);
        }
    }

    private static byte[] ReadCapped(string path, Stream stream)
    {
        using var output = new MemoryStream();
        var chunk = new byte[16384];
        int n;
        while ((n = stream.Read(chunk)) > 0)
        {
            if (output.Length + n > ChildProcess.MaxStdoutBytes)
                throw ChildProcess.TooMuchOutput(path);

            output.Write(chunk, 0, n);
        }

        return output.ToArray();
    }
}
