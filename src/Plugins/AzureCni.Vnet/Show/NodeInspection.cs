using System.Net;
using System.Net.Sockets;
using AzureCni.Cni.Collections;
using AzureCni.Ipam.Model;
using AzureCni.Ipam.Show;
using AzureCni.Netlink;
using AzureCni.Vnet.Linux;
using AzureCni.Vnet.State;

namespace AzureCni.Vnet.Show;

/// <summary>
/// Builds a <see cref="ShowReport"/>: the endpoints and pools of the state files, read without their locks as
/// STATUS reads them (each file is only ever replaced whole), and the node namespace's links and routes checked
/// against them. The kernel is listed before the state is read, as GC does: an ADD writes its entry before it
/// creates anything, so every object listed has its owner in the state read after, in-flight ADDs included.
/// Changes nothing.
/// </summary>
internal static class NodeInspection
{
    public static ShowReport Inspect(EndpointStore endpoints, IpamState ipam, bool checkKernel)
    {
        IReadOnlyList<LinkInfo> links = [];
        List<RouteEntry> routes = [];
        if (checkKernel)
        {
            using var host = RouteNetlink.Open();
            links = host.ListLinks();
            routes = [.. host.ListRoutes(AddressFamily.InterNetwork), .. host.ListRoutes(AddressFamily.InterNetworkV6)];
        }

        var state = endpoints.Read();
        var report = new ShowReport { Pools = PoolSummary.Of(ipam) };
        foreach (var e in state.Endpoints)
        {
            report.Endpoints.Add(new ShownEndpoint
            {
                Network = e.Network, PodNamespace = e.PodNamespace ?? "", PodName = e.PodName ?? "", ContainerId = e.ContainerId,
                IfName = e.IfName, Mode = e.Mode, Addresses = e.Addresses, HostLink = e.HostIfName, Created = e.Created ?? "", Pending = e.Pending,
            });
        }

        if (checkKernel)
        {
            CheckKernel(state, links, routes, report.Problems);
        }

        CheckReservations(state, ipam, report.Problems);
        report.Consistent = report.Problems.Count == 0;
        if (!report.Consistent)
        {
            report.Fix = "run GC through the container runtime (it passes the valid attachments: CNI GC), "
                + "or DEL the attachments named; `azure-vnet show --gc-dry-run` names what a GC would remove";
        }

        return report;
    }

    private static void CheckKernel(VnetState state, IReadOnlyList<LinkInfo> links, List<RouteEntry> routes, List<ShownProblem> problems)
    {
        var byName = links.ToDictionary(l => l.Name, StringComparer.Ordinal);
        var byIndex = links.ToDictionary(l => l.Index);
        foreach (var e in state.Endpoints.FindAll(e => !e.Pending && e.HostIfName.Length > 0))
        {
            string owner = e.ContainerId + "/" + e.IfName;
            if (!byName.TryGetValue(e.HostIfName, out var link))
            {
                problems.Add(new ShownProblem { Kind = "missing-host-link", Object = e.HostIfName, Owner = owner, Detail = "the endpoint's host veth is gone (DEL or GC of the attachment removes the entry and its address)" });
                continue;
            }

            if (e.Mode != "transparent")
                continue;
            foreach (string cidr in e.Addresses)
            {
                var address = IPAddress.Parse(cidr.Split('/')[0]);
                int hostPrefix = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
                if (!routes.Exists(r => r.OutputInterfaceIndex == link.Index && address.Equals(r.Destination) && r.DestinationPrefixLength == hostPrefix))
                {
                    problems.Add(new ShownProblem { Kind = "missing-host-route", Object = $"{address}/{hostPrefix} dev {e.HostIfName}", Owner = owner, Detail = "the pod is unreachable from the node (DEL and ADD the pod again)" });
                }
            }
        }

        foreach (var link in links.FindAll(IsOurs))
        {
            if (!state.Endpoints.Exists(e => e.HostIfName == link.Name))
                problems.Add(new ShownProblem { Kind = "leaked-host-link", Object = link.Name, Detail = "a host veth of azure-vnet that no endpoint owns", RemovedByGc = true });
        }

        // The kernel's own routes of a link (its IPv6 link-local prefix) are nobody's leak.
        foreach (var route in routes.FindAll(r => r.Destination is not null && r.Protocol != RouteProtocol.Kernel && r.OutputInterfaceIndex is int i && byIndex.TryGetValue(i, out var l) && IsOurs(l)))
        {
            string linkName = byIndex[route.OutputInterfaceIndex!.Value].Name;
            var owner = state.Endpoints.Find(e => e.HostIfName == linkName);
            if (owner is null || !owner.Addresses.Exists(a => a.Split('/')[0] == route.Destination!.ToString()))
            {
                problems.Add(new ShownProblem
                {
                    Kind = "leaked-host-route", Object = $"{route.Destination}/{route.DestinationPrefixLength} dev {linkName}",
                    Owner = owner is null ? "" : owner.ContainerId + "/" + owner.IfName,
                    Detail = "a route to an azure-vnet host veth for an address no endpoint holds", RemovedByGc = owner is null,
                });
            }
        }
    }

    private static void CheckReservations(VnetState state, IpamState ipam, List<ShownProblem> problems)
    {
        // Only azure-vnet's own networks: another plugin may use azure-vnet-ipam with the same state file.
        var networks = new HashSet<string>(StringComparer.Ordinal);
        foreach (var network in state.Networks)
            networks.Add(network.Name);
        foreach (var endpoint in state.Endpoints)
            networks.Add(endpoint.Network);
        foreach (var pool in ipam.Pools)
        {
            foreach (var record in pool.Addresses)
            {
                if (record.InUse && networks.Contains(record.Network ?? "") && !state.Endpoints.Exists(e => record.IsOwnedBy(e.Network, e.ContainerId, e.IfName)))
                {
                    problems.Add(new ShownProblem
                    {
                        Kind = "orphaned-reservation", Object = record.Address, Owner = record.ContainerId + "/" + record.IfName,
                        Detail = $"reserved in network {record.Network} by no endpoint", RemovedByGc = true,
                    });
                }
            }
        }
    }

    private static bool IsOurs(LinkInfo link) => link.Name.StartsWith(HostNames.VethPrefix, StringComparison.Ordinal) && link.Kind == "veth";
}
