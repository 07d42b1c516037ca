using System.Text;
using AzureCni.Cni;
using AzureCni.Cni.Files;
using AzureCni.Cni.Hosting;
using AzureCni.Ipam.Show;
using AzureCni.Ipam.State;
using AzureCni.Netlink;
using AzureCni.Vnet.State;

namespace AzureCni.Vnet.Show;

/// <summary>
/// `azure-vnet show [--json | --gc-dry-run]`, run in the node's namespace: every endpoint and pool of the state files,
/// and the kernel checked against them (<see cref="NodeInspection"/>). Exit 0 when consistent, 1 when it found
/// something (with the fix), 2 on a usage error or an unreadable state. Never changes anything.
/// </summary>
public static class ShowCommand
{
    public const string Argument = "show";

    public static int Main(string[] args) => OperatorCommand.Main(args, Run);

    public static int Run(string[] args, string stateDir, StringBuilder output)
    {
        bool json = false, gcDryRun = false;
        foreach (string arg in args)
        {
            switch (arg)
            {
                case "--json": json = true; break;
                case "--gc-dry-run": gcDryRun = true; break;
                default:
                    output.Append("usage: azure-vnet show [--json | --gc-dry-run]   (in the node's network namespace)\n");
                    return 2;
            }
        }

        ShowReport report;
        try
        {
            report = NodeInspection.Inspect(new EndpointStore(stateDir), new IpamStore(stateDir).Load(), checkKernel: OperatingSystem.IsLinux());
        }
        catch (Exception e) when (e is CniException or IOException or NetlinkException or UnauthorizedAccessException)
        {
            output.Append("show: ").Append(e.Message).Append('\n');
            return 2;
        }

        if (json)
            ShowJson.Append(report, output);
        else if (gcDryRun)
            ShowText.WriteGcDryRun(report, output);
        else
            ShowText.Write(report, output);
        return report.Consistent ? 0 : 1;
    }
}
