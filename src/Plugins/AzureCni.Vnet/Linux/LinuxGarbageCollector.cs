using System.Net;
using System.Net.NetworkInformation;
using AzureCni.Cni;
using AzureCni.Cni.Collections;
using AzureCni.Vnet.Config;
using AzureCni.Vnet.Linux.Kernel;
using AzureCni.Vnet.Linux.Rules;

namespace AzureCni.Vnet.Linux;

/// <summary>
/// GC: tears down this network's attachments that the runtime's valid-attachments list does not name, then the
/// <c>azv*</c> veths and attachment rules that no state entry owns.
/// </summary>
internal sealed class LinuxGarbageCollector(LinuxContext context, CniRequest request, VnetConfig config)
{
    public void Run()
    {
        if (!request.HasValidAttachments)
        {
            throw new CniException(CniErrorCode.InvalidNetworkConfig,
                "azure-vnet: GC needs cni.dev/valid-attachments in the config; without it every attachment would be removed");
        }

        var store = context.Store;
        var state = store.Read();
        BridgeNode.CompleteUnfinished(context, state);
        foreach (var record in state.Endpoints.FindAll(e => e.Network == config.Network && !request.IsValidAttachment(e.ContainerId, e.IfName)))
        {
            context.Log.Information("GC: removing endpoint {Container}/{IfName} ({HostIf})", [record.ContainerId, record.IfName, record.HostIfName]);
            LinuxDataPath.Teardown(context, record);
            store.Update(s => s.RemoveEndpoint(record.Network, record.ContainerId, record.IfName));
        }

        // Veths no state entry owns, those of the attachments just removed and those DEL left in a namespace that was
        // never deleted included. An ADD writes its entry before it creates anything, so reading the state
        // after listing the kernel's objects sees the owner of every object listed, in-flight ADDs included.
        using (var host = context.Kernel.OpenNode())
        {
            var veths = host.ListLinks().FindAll(l => l.Name.StartsWith(HostNames.VethPrefix, StringComparison.Ordinal) && l.Kind == "veth");
            state = store.Read();
            foreach (var link in veths.FindAll(l => !state.Endpoints.Exists(e => e.HostIfName == l.Name)))
            {
                context.Log.Information("GC: removing leftover veth {HostIf}", [link.Name]);
                host.DeleteLink(link.Index, missingOk: true);
            }
        }

        using var rules = context.Kernel.OpenRules();
        var tags = rules.ListTags();
        state = store.Read();
        foreach (string tag in tags)
        {
            if (RuleTag.TryParseAttachment(tag, out string containerId, out string ifName)
                && !state.Endpoints.Exists(e => e.ContainerId == containerId && e.IfName == ifName)
                && !request.IsValidAttachment(containerId, ifName))
            {
                context.Log.Information("GC: removing leftover rules {Tag}", [tag]);
                rules.Delete(tag);
            }
        }

        CollectUpstreamRules(rules);
        using (context.Store.LockNetworkSetup())
        {
            rules.DeletePortMappingTablesIfEmpty();
            ViaHostRoutes.CollectUnowned(context, rules, tags);
        }
    }

    /// <summary>
    /// Upstream Azure CNI's per-pod ebtables rules whose pod no state entry holds (a DEL upstream never ran, or a state
    /// it lost). Upstream's node-wide arpreply has a pod rule's shape with the MAC of a node link, which never goes.
    /// </summary>
    private void CollectUpstreamRules(IAzureCniRuleTable rules)
    {
        var nodeMacs = new HashSet<PhysicalAddress>();
        using (var host = context.Kernel.OpenNode())
        {
            foreach (var link in host.ListLinks())
            {
                if (link.MacAddress is { } mac)
                    nodeMacs.Add(mac);
            }
        }

        var state = context.Store.Read();
        // Keyed by text, not by a tuple of references (whose comparer keeps NativeAOT's type loader in the image).
        var owned = new HashSet<string>(StringComparer.Ordinal);
        foreach (var endpoint in state.Endpoints)
        {
            if (!PhysicalAddress.TryParse(endpoint.Mac.Replace(':', '-'), out var mac))
                continue;
            foreach (var address in LinuxContext.Addresses(endpoint))
                owned.Add(address.Address + " " + mac);
        }

        int removed = rules.DeleteUpstreamRules(rule => UpstreamPodRules.TryRead(rule, out var address, out var mac)
            && !nodeMacs.Contains(mac) && !owned.Contains(address + " " + mac));
        if (removed > 0)
            context.Log.Information("GC: removed {Count} ebtables rules upstream Azure CNI left for pods no state entry holds", [removed]);
    }
}
