using System.Globalization;
using System.Net.NetworkInformation;
using AzureCni.Cni;
using AzureCni.Cni.Types;
using AzureCni.Vnet.Linux.Kernel;
using AzureCni.Vnet.State;
using AzureCni.Vnet.Transactions;
using Serilog;

namespace AzureCni.Vnet.Linux;

/// <summary>What every part of the Linux data path works with: the kernel, the state, the failure hook, the log.</summary>
internal sealed record LinuxContext(ILinuxKernel Kernel, EndpointStore Store, FailurePoints Fail, ILogger Log)
{
    /// <summary>"aa:bb:cc:dd:ee:ff", as the state file and the CNI result hold a MAC ("" for none).</summary>
    public static string Mac(PhysicalAddress? mac) =>
        mac is null ? "" : string.Join(':', mac.GetAddressBytes().Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));

    public static List<IPNetworkAddress> Addresses(EndpointRecord record)
    {
        var list = new List<IPNetworkAddress>(record.Addresses.Count);
        foreach (string text in record.Addresses)
        {
            if (IPNetworkAddress.TryParse(text, out var address))
                list.Add(address);
        }

        return list;
    }

    public int DeleteRules(string tag)
    {
        using var rules = Kernel.OpenRules();
        return rules.Delete(tag);
    }

    public static CniException Missing(string what) => new(CniErrorCode.Runtime, "azure-vnet CHECK: " + what);
}
