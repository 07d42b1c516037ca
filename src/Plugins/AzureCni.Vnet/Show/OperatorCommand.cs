using System.Text;
using AzureCni.Cni.Files;
using AzureCni.Cni.Hosting;

namespace AzureCni.Vnet.Show;

/// <summary>
/// The process entry of azure-vnet's operator commands (<c>show</c>, <c>state export</c>): the command runs over the
/// process's state directory into a buffer, which goes to stdout whole.
/// </summary>
internal static class OperatorCommand
{
    public static int Main(string[] args, Func<string[], string, StringBuilder, int> run)
    {
        var output = new StringBuilder();
        int code = run(args, PluginPaths.StateDirOfProcess(), output);
        StandardStreams.WriteOutput(Encoding.UTF8.GetBytes(output.ToString()));
        return code;
    }
}
