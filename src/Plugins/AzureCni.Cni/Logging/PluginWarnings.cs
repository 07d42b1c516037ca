using System.Text;
using AzureCni.Cni.Hosting;

namespace AzureCni.Cni.Logging;

/// <summary>
/// Warnings a plugin library reports while it works (a source that failed, a stale pool kept): one line on
/// stderr, prefixed with the plugin's name, which the runtime logs. Plugin code writes here rather than to the
/// host's streams, so only the CNI core knows how stderr is written (write(2), no System.Console).
/// </summary>
public static class PluginWarnings
{
    public static void Write(string pluginName, string message) =>
        StandardStreams.WriteError(Encoding.UTF8.GetBytes(pluginName + ": " + message + "\n"));
}
