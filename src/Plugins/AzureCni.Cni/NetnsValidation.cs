using AzureCni.Cni.Files;

namespace AzureCni.Cni;

/// <summary>
/// CNI_NETNS of a plugin that configures the container's namespace: it must be a network namespace
/// file, and never the plugin's own (the node's) namespace, which a pod interface would reconfigure.
/// Looked at with stat only: a FIFO or device is refused before anything opens it.
/// </summary>
public static class NetnsValidation
{
    /// <summary>
    /// The calling thread's network namespace: the node's. Per thread rather than /proc/self, so a host
    /// run in-process inside a simulated node compares against that node.
    /// </summary>
    public const string OwnNamespacePath = "/proc/thread-self/ns/net";

    /// <summary>
    /// ADD and CHECK: a missing or non-namespace path is code 4 (InvalidEnvironmentVariables); the node's
    /// own namespace is code 4 as well. DEL: only the node's own namespace is refused (a missing one is the
    /// runtime's normal clean-up of a dead pod).
    /// </summary>
    public static void Validate(CniCommand command, string netns)
    {
        if (!OperatingSystem.IsLinux() || command is not (CniCommand.Add or CniCommand.Check or CniCommand.Del) || netns.Length == 0)
            return;

        FileStatus? status = FileStatus.Of(netns);
        if (status is null)
        {
            if (command == CniCommand.Del)
                return;

            throw new CniException(CniErrorCode.InvalidEnvironmentVariables, $"CNI_NETNS {netns} does not exist");
        }

        if (FileStatus.FileSystemOf(netns) != FileStatus.NamespaceFileSystem)
        {
            if (command == CniCommand.Del)
                return;

            throw new CniException(CniErrorCode.InvalidEnvironmentVariables, $"CNI_NETNS {netns} is not a network namespace");
        }

        if (FileStatus.Of(OwnNamespacePath) is { } own && own.SameFileAs(status.Value))
        {
            throw new CniException(CniErrorCode.InvalidEnvironmentVariables,
                $"CNI_NETNS {netns} is the plugin's own network namespace (the node's); refusing to configure it");
        }
    }
}
