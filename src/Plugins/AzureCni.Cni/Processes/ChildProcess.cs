using System.Runtime.InteropServices;
using System.Text;

namespace AzureCni.Cni.Processes;

/// <summary>What a child process did: its exit status and everything it wrote to stdout.</summary>
public readonly record struct ProcessExit(int ExitCode, int Signal, byte[] Stdout)
{
    public bool Succeeded => ExitCode == 0 && Signal == 0;
}

/// <summary>
/// Runs an executable the way libcni's invoke package runs a plugin: the given environment only, input on a
/// stdin pipe, stdout captured through a pipe (capped), stderr inherited. posix_spawn (vfork+exec) rather than
/// System.Diagnostics.Process, which would start two runtime threads and cost ~0.3 ms of CPU. Delegation runs
/// plugins through it (<see cref="Delegation.PluginProcess"/>); host-check runs iptables.
/// </summary>
public static unsafe class ChildProcess
{
    /// <summary>The same cap as on our own stdin: a child that writes more is broken.</summary>
    public const int MaxStdoutBytes = 1 << 20;

    /// <summary>
    /// Spawns <paramref name="path"/> with <paramref name="arguments"/> after argv[0] and exactly
    /// <paramref name="environment"/>, feeds it <paramref name="stdin"/>, and waits for it.
    /// </summary>
    public static ProcessExit Run(string path, IReadOnlyList<string> arguments, IEnumerable<KeyValuePair<string, string>> environment, ReadOnlySpan<byte> stdin)
    {
        if (OperatingSystem.IsWindows())
            return ManagedChildProcess.Run(path, arguments, environment, stdin);

        var native = new NativeStrings();
        try
        {
            byte* pathZ = native.Add(path);
            byte** argv = native.Array([path, .. arguments]);
            var envList = new List<string>();
            foreach (var (key, value) in environment)
                envList.Add(key + "=" + value);

            byte** envp = native.Array(envList);
            return Spawn(path, pathZ, argv, envp, stdin);
        }
        finally
        {
            native.Free();
        }
    }

    private static ProcessExit Spawn(string name, byte* path, byte** argv, byte** envp, ReadOnlySpan<byte> stdin)
    {
        int* fds = stackalloc int[2];
        if (Interop.Libc.pipe2(fds, Interop.Libc.O_CLOEXEC) != 0)
            throw Failure(name, "pipe2", Marshal.GetLastPInvokeError());

        using var childStdin = new SafeFd(fds[0]);
        using var stdinWriter = new SafeFd(fds[1]);
        if (Interop.Libc.pipe2(fds, Interop.Libc.O_CLOEXEC) != 0)
            throw Failure(name, "pipe2", Marshal.GetLastPInvokeError());

        using var stdoutReader = new SafeFd(fds[0]);
        using var childStdout = new SafeFd(fds[1]);

        Interop.Libc.SpawnFileActions actions;
        Interop.Libc.SpawnAttr attr;
        Interop.Libc.SigSet defaults;
        Interop.Libc.SigSet emptyMask;
        int pid = 0;
        Interop.Libc.posix_spawn_file_actions_init(&actions);
        Interop.Libc.posix_spawnattr_init(&attr);
        try
        {
            // The child's ends become its fd 0 and 1 (dup2 clears O_CLOEXEC); every other pipe end closes on exec.
            Interop.Libc.posix_spawn_file_actions_adddup2(&actions, childStdin.Fd, 0);
            Interop.Libc.posix_spawn_file_actions_adddup2(&actions, childStdout.Fd, 1);

            // The runtime ignores SIGPIPE and an ignored signal survives exec: the child gets the default, and an empty mask.
            Interop.Libc.sigemptyset(&defaults);
            Interop.Libc.sigaddset(&defaults, Interop.Libc.SIGPIPE);
            Interop.Libc.sigemptyset(&emptyMask);
            Interop.Libc.posix_spawnattr_setsigdefault(&attr, &defaults);
            Interop.Libc.posix_spawnattr_setsigmask(&attr, &emptyMask);
            Interop.Libc.posix_spawnattr_setflags(&attr, Interop.Libc.POSIX_SPAWN_SETSIGDEF | Interop.Libc.POSIX_SPAWN_SETSIGMASK);

            int rc = Interop.Libc.posix_spawn(&pid, path, &actions, &attr, argv, envp);
            if (rc != 0)
                throw Failure(name, "posix_spawn", rc);
        }
        finally
        {
            Interop.Libc.posix_spawnattr_destroy(&attr);
            Interop.Libc.posix_spawn_file_actions_destroy(&actions);
        }

        // Only the child holds these now; keeping them would hide its end of file from us.
        childStdin.Dispose();
        childStdout.Dispose();
        byte[] output;
        try
        {
            output = Pump(name, stdinWriter, stdoutReader, stdin);
        }
        catch
        {
            // Closing our ends lets a child still writing die of SIGPIPE; then reap it, so no zombie outlives the call.
            stdinWriter.Dispose();
            stdoutReader.Dispose();
            Wait(name, pid);
            throw;
        }

        int status = Wait(name, pid);

        // WIFEXITED / WEXITSTATUS / WTERMSIG (bits/waitstatus.h)
        int signal = status & 0x7f;
        int exitCode = signal == 0 ? (status >> 8) & 0xff : 128 + signal;
        return new ProcessExit(exitCode, signal, output);
    }

    private static int Wait(string name, int pid)
    {
        int status = 0;
        while (Interop.Libc.waitpid(pid, &status, 0) < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno != Interop.Libc.EINTR)
                throw Failure(name, "waitpid", errno);
        }

        return status;
    }

    /// <summary>
    /// Writes stdin and reads stdout together under poll, so a child that answers before it has read all of
    /// its input cannot deadlock us. Writes are at most PIPE_BUF bytes, which a POLLOUT pipe always takes whole.
    /// </summary>
    private static byte[] Pump(string name, SafeFd stdinWriter, SafeFd stdoutReader, ReadOnlySpan<byte> stdin)
    {
        const int PipeBuf = 4096;
        var output = new MemoryStream();
        byte* chunk = stackalloc byte[16384];
        int written = 0;
        if (stdin.Length == 0)
            stdinWriter.Dispose();

        fixed (byte* input = stdin)
        {
            Interop.Libc.PollFd* fds = stackalloc Interop.Libc.PollFd[2];
            while (true)
            {
                bool stdinOpen = !stdinWriter.IsClosed;
                int count = 0;
                fds[count++] = new Interop.Libc.PollFd { Fd = stdoutReader.Fd, Events = Interop.Libc.POLLIN };
                if (stdinOpen)
                    fds[count++] = new Interop.Libc.PollFd { Fd = stdinWriter.Fd, Events = Interop.Libc.POLLOUT };

                if (Interop.Libc.poll(fds, (nuint)count, -1) < 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno == Interop.Libc.EINTR)
                        continue;

                    throw Failure(name, "poll", errno);
                }

                if (stdinOpen && fds[1].REvents != 0)
                {
                    // POLLERR/POLLHUP: the child closed its stdin; it has taken all it wants.
                    bool done = (fds[1].REvents & (Interop.Libc.POLLERR | Interop.Libc.POLLHUP)) != 0;
                    if (!done)
                    {
                        nint n = Interop.Libc.write(stdinWriter.Fd, input + written, Math.Min(PipeBuf, stdin.Length - written));
                        if (n > 0)
                            written += (int)n;
                        else if (n < 0 && Marshal.GetLastPInvokeError() is not (Interop.Libc.EINTR or Interop.Libc.EAGAIN))
                        {
                            done = true; // EPIPE: SIGPIPE is ignored in this process
                        }
                    }

                    if (done || written == stdin.Length)
                        stdinWriter.Dispose();
                }

                if (fds[0].REvents != 0)
                {
                    nint n = Interop.Libc.read(stdoutReader.Fd, chunk, 16384);
                    if (n < 0)
                    {
                        int errno = Marshal.GetLastPInvokeError();
                        if (errno == Interop.Libc.EINTR)
                            continue;

                        throw Failure(name, "read", errno);
                    }

                    if (n == 0)
                        break;

                    if (output.Length + n > MaxStdoutBytes)
                        throw TooMuchOutput(name);

                    output.Write(new ReadOnlySpan<byte>(chunk, (int)n));
                }
            }
        }

        return output.ToArray();
    }

    private static CniException Failure(string path, string call, int errno) =>
        new(CniErrorCode.IOFailure, $"running {path} failed: {call}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");

    internal static CniException TooMuchOutput(string path) =>
        new(CniErrorCode.IOFailure, $"{path} wrote more than {MaxStdoutBytes} bytes to stdout");

    /// <summary>NUL-terminated UTF-8 strings and pointer arrays in native memory, freed together.</summary>
    private struct NativeStrings
    {
        private List<nint>? _allocations;

        public byte* Add(string s)
        {
            int length = Encoding.UTF8.GetByteCount(s);
            byte* p = (byte*)NativeMemory.Alloc((nuint)length + 1);
            (_allocations ??= []).Add((nint)p);
            Encoding.UTF8.GetBytes(s, new Span<byte>(p, length));
            p[length] = 0;
            return p;
        }

        public byte** Array(IReadOnlyList<string> items)
        {
            byte** array = (byte**)NativeMemory.Alloc((nuint)(items.Count + 1), (nuint)sizeof(byte*));
            (_allocations ??= []).Add((nint)array);
            for (int i = 0; i < items.Count; i++)
                array[i] = Add(items[i]);

            array[items.Count] = null;
            return array;
        }

        public readonly void Free()
        {
            if (_allocations is null)
                return;

            foreach (var p in _allocations)
                NativeMemory.Free((void*)p);
        }
    }
}
