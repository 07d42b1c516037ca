namespace AzureCni.TestBed.CrashReplay;

/// <summary>
/// Runs the plugin under <c>strace</c>, recording its file syscalls with the bytes they write, in a private mount
/// namespace where /proc/sys/kernel/random/boot_id reads <see cref="RecordedBootId"/>: the journal then carries
/// another boot's id, so a reader in this boot reads a replayed directory as the first call after a reboot does.
/// Needs root (the bind mount). <c>ip netns exec</c> inside it keeps the bind mount (its own mount namespace is a copy).
/// </summary>
public static class TracedRun
{
    /// <summary>The boot the recorded calls ran in, as far as they can tell (36 characters, as the kernel's).</summary>
    public const string RecordedBootId = "00000000-0000-4000-8000-c0ffeec0ffee";

    /// <summary>The boot after the first power cut, for a call recorded on a replayed directory.</summary>
    public const string NextBootId = "00000000-0000-4000-8000-c0ffeec0ff02";

    private const string FileSyscalls =
        "trace=open,openat,creat,write,pwrite64,writev,pwritev,pwritev2,fsync,fdatasync,sync,syncfs,sync_file_range,"
        + "rename,renameat,renameat2,unlink,unlinkat,ftruncate,truncate,lseek,mkdir,mkdirat,link,linkat,symlink,symlinkat,"
        + "fallocate,copy_file_range,sendfile";

    /// <param name="plugin">The binary to trace.</param>
    /// <param name="environment">Added to this process's environment.</param>
    /// <param name="config">The plugin's stdin.</param>
    /// <param name="scratch">Where the boot id file and the trace go.</param>
    /// <param name="bootIdText">What boot_id reads for the plugin.</param>
    /// <param name="netns">The network namespace to run in (ip netns exec), or null for this one.</param>
    public static (CommandResult Result, List<Syscall> Trace) Run(
        string plugin, IReadOnlyDictionary<string, string> environment, string config, string scratch, string bootIdText = RecordedBootId, string? netns = null)
    {
        string bootId = Path.Combine(scratch, "boot_id");
        File.WriteAllText(bootId, bootIdText + "\n");
        string trace = Path.Combine(scratch, "strace.out");
        File.Delete(trace);

        CommandResult result = Shell.Run(
            [
                "unshare", "--mount", "--propagation", "private", "sh", "-c",
                "mount --bind \"$0\" /proc/sys/kernel/random/boot_id && exec \"$@\"", bootId,
                .. (netns is null ? Array.Empty<string>() : ["ip", "netns", "exec", netns]),
                "strace", "-f", "-qq", "-ttt", "-xx", "-y", "-s", "4194304", "-e", "signal=none", "-e", FileSyscalls, "-o", trace, plugin,
            ],
            environment,
            stdin: config);
        return (result, StraceLog.Parse(File.Exists(trace) ? File.ReadLines(trace) : []));
    }
}
