using System.Net;
using AzureCni.Vnet.Linux.Kernel;
using AzureCni.Vnet.State;
using AzureCni.Vnet.Transactions;

namespace AzureCni.Vnet.Linux;

/// <summary>
/// Bridge mode's <c>ipsToRouteViaHost</c>: one node-wide rule per address (<see cref="IAzureCniRuleTable.ApplyViaHost"/>),
/// there while some attachment's state entry lists the address. Every look and change is made under the network-setup
/// lock; an ADD lists its addresses in its entry before it takes the lock, so a DEL never removes a rule a concurrent
/// ADD counts on, and a DEL marks its entry as leaving before it looks (<see cref="LinuxContext.LeaveNodeObjects"/>).
/// GC counts the entries left after its teardowns. Upstream adds the ebtables rule and never removes it; an empty node is the same node here.
/// </summary>
internal static class ViaHostRoutes
{
    /// <summary>ADD: the rule of each address, unless there; undone (when no other entry needs it) if the ADD fails.</summary>
    public static void Ensure(LinuxContext context, EndpointKey self, IReadOnlyList<IPAddress> addresses, System.Net.NetworkInformation.PhysicalAddress bridgeMac, UndoStack undo)
    {
        if (addresses.Count == 0)
            return;
        using (context.Store.LockNetworkSetup())
        {
            context.Fail.At("via-host-rules");
            // Pushed first: a rule applied before a later one failed goes too.
            undo.Push("via-host rules", () => Release(context, self, addresses));
            using var rules = context.Kernel.OpenRules();
            foreach (var address in addresses)
            {
                if (!rules.HasViaHost(address))
                    rules.ApplyViaHost(address, bridgeMac.GetAddressBytes());
            }
        }
    }

    /// <summary>DEL, GC, a failed ADD: the rule of each address no other state entry lists goes (its table with the last).</summary>
    public static void Release(LinuxContext context, EndpointKey self, IReadOnlyList<IPAddress> addresses)
    {
        if (addresses.Count == 0)
            return;
        using (context.Store.LockNetworkSetup())
        {
            var others = context.LeaveNodeObjects(self);
            using var rules = context.Kernel.OpenRules();
            foreach (var address in addresses)
            {
                if (!others.Exists(e => Lists(e, address)))
                {
                    context.Log.Information("no attachment routes {Address} via the host any more: removing its rule", [address]);
                    rules.DeleteViaHost(address);
                }
            }
        }
    }

    /// <summary>CHECK: the rule of each address the attachment listed; throws naming the first one missing.</summary>
    public static void Check(LinuxContext context, EndpointRecord record)
    {
        var addresses = Of(record);
        if (addresses.Count == 0)
            return;
        using var rules = context.Kernel.OpenRules();
        foreach (var address in addresses)
        {
            if (!rules.HasViaHost(address))
                throw LinuxContext.Missing($"rule routing {address} via the host ({RuleTag.ViaHost(address)}) missing");
        }
    }

    /// <summary>
    /// GC, under the network-setup lock (the caller's): the rules of addresses no state entry lists, from <paramref name="tags"/>
    /// (listed before the state was read, so an ADD in flight has its entry in it).
    /// </summary>
    public static void CollectUnowned(LinuxContext context, IAzureCniRuleTable rules, IEnumerable<string> tags)
    {
        var addresses = new List<IPAddress>();
        foreach (string tag in tags)
        {
            if (RuleTag.TryParseViaHost(tag, out var address))
                addresses.Add(address);
        }

        if (addresses.Count == 0)
            return;
        var endpoints = context.Store.Read().Endpoints.FindAll(e => e.Detaching != true);
        foreach (var address in addresses.Where(a => !endpoints.Exists(e => Lists(e, a))))
        {
            context.Log.Information("GC: removing the via-host rule of {Address}, which no attachment lists", [address]);
            rules.DeleteViaHost(address);
        }
    }

    /// <summary>The addresses an attachment's state entry lists.</summary>
    public static List<IPAddress> Of(EndpointRecord record)
    {
        var addresses = new List<IPAddress>();
        foreach (string text in record.IpsToRouteViaHost ?? [])
        {
            if (IPAddress.TryParse(text, out var address))
                addresses.Add(address);
        }

        return addresses;
    }

    private static bool Lists(EndpointRecord record, IPAddress address) =>
        record.IpsToRouteViaHost is { } list && list.Exists(text => IPAddress.TryParse(text, out var a) && a.Equals(address));
}

/// <summary>An attachment's identity in the state: network, container, interface.</summary>
internal readonly record struct EndpointKey(string Network, string ContainerId, string IfName)
{
    public static EndpointKey Of(EndpointRecord record) => new(record.Network, record.ContainerId, record.IfName);

    public bool Is(EndpointRecord record) => record.Network == Network && record.ContainerId == ContainerId && record.IfName == IfName;
}
