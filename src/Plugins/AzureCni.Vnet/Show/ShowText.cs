using System.Text;
using AzureCni.Ipam.Show;

namespace AzureCni.Vnet.Show;

/// <summary>The plain, aligned text of `azure-vnet show`.</summary>
internal static class ShowText
{
    public static void Write(ShowReport report, StringBuilder output)
    {
        output.Append("ENDPOINTS\n");
        var endpoints = new TextTable("POD", "CONTAINER", "IFNAME", "MODE", "ADDRESS", "HOST LINK", "CREATED");
        foreach (var e in report.Endpoints)
        {
            string pod = e.PodName.Length > 0 ? e.PodNamespace + "/" + e.PodName : "-";
            string container = e.ContainerId.Length > 12 ? e.ContainerId[..12] : e.ContainerId;
            endpoints.Add(pod, container, e.IfName, e.Pending ? e.Mode + " (pending)" : e.Mode,
                e.Addresses.Count == 0 ? "-" : string.Join(',', e.Addresses), e.HostLink.Length == 0 ? "-" : e.HostLink, e.Created.Length == 0 ? "-" : e.Created);
        }

        endpoints.WriteTo(output);
        output.Append("\nPOOLS\n");
        IpamShowCommand.WritePools(report.Pools, output);
        output.Append('\n');
        if (report.Consistent)
        {
            output.Append("consistent: every endpoint has its host link and routes; no leaked link, route or reservation\n");
            return;
        }

        output.Append("PROBLEMS\n");
        var problems = new TextTable("KIND", "OBJECT", "OWNER", "DETAIL");
        foreach (var p in report.Problems)
            problems.Add(p.Kind, p.Object, p.Owner.Length == 0 ? "-" : p.Owner, p.Detail);
        problems.WriteTo(output);
        output.Append("\nfix: ").Append(report.Fix).Append('\n');
    }

    public static void WriteGcDryRun(ShowReport report, StringBuilder output)
    {
        var removed = report.Problems.FindAll(p => p.RemovedByGc);
        if (removed.Count == 0)
        {
            output.Append("a GC would remove no leftover (attachments the runtime no longer lists are removed too)\n");
        }
        else
        {
            output.Append("a GC would remove (besides the attachments the runtime no longer lists):\n");
            foreach (var p in removed)
                output.Append("  ").Append(p.Kind).Append(' ').Append(p.Object).Append(p.Owner.Length > 0 ? " (" + p.Owner + ")" : "").Append('\n');
        }

        foreach (var p in report.Problems.FindAll(p => !p.RemovedByGc))
            output.Append("not removed by GC: ").Append(p.Kind).Append(' ').Append(p.Object).Append(" (").Append(p.Owner).Append("): ").Append(p.Detail).Append('\n');
    }
}
