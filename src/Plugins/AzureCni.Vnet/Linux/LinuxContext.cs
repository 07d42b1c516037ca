using System.Globalization;
using System.Net.NetworkInformation;
using AzureCni.Cni;
using AzureCni.Cni.Collections;
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
        mac is null ? "" : mac.GetAddressBytes().JoinedText(":", b => b.ToString("x2", CultureInfo.InvariantCulture));

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

    /// <summary>Port mappings are added, and their tables dropped when the last goes, one call at a time (the network lock).</summary>
    public void ApplyPortMappings(string tag, IReadOnlyList<Rules.NfPortMapping> mappings)
    {
        using var serialised = Store.LockNetworkSetup();
        using var rules = Kernel.OpenRules();
        rules.ApplyPortMappings(tag, mappings);
    }

    /// <summary>Every rule of <paramref name="tag"/>, and the port-mapping tables when nothing is left in them.</summary>
    public int DeletePortMappings(string tag)
    {
        using var serialised = Store.LockNetworkSetup();
        using var rules = Kernel.OpenRules();
        int removed = rules.Delete(tag);
        rules.DeletePortMappingTablesIfEmpty();
        return removed;
    }

    /// <summary>
    /// Under the network-setup lock (the caller's), before a DEL decides whether node-wide objects go: marks the
    /// attachment <see cref="EndpointRecord.Detaching"/> and returns the other entries that still count. Without the
    /// mark, two concurrent DELs of the last two attachments would each see the other's entry and both keep them.
    /// </summary>
    public List<EndpointRecord> LeaveNodeObjects(EndpointKey self) =>
        Store.Update(s =>
        {
            if (s.Endpoints.Find(self.Is) is { } own)
                own.Detaching = true;
            return s.Endpoints.FindAll(e => !self.Is(e) && e.Detaching != true);
        }, Cni.Files.StateDurability.WriteAhead);

    public static CniException Missing(string what) => new(CniErrorCode.Runtime, "azure-vnet CHECK: " + what);
}
