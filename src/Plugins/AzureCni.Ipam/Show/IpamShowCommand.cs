using System.Globalization;
using System.Text;
using AzureCni.Cni;
using AzureCni.Ipam.State;
using AzureCni.Json;

namespace AzureCni.Ipam.Show;

/// <summary>
/// `azure-vnet-ipam show [--json]`: every pool of the state file (subnet, source, total, in use, free, stale) and every
/// reserved address with its owner. Reads the state without the lock (the file is only ever replaced whole, the read
/// STATUS makes) and changes nothing. Exit 0, or 2 when the state cannot be read.
/// </summary>
public static class IpamShowCommand
{
    public const string Argument = "show";

    public static int Run(string[] args, string stateDir, StringBuilder output)
    {
        bool json = args.Contains("--json");
        if (args.Any(a => a != "--json"))
        {
            output.Append("usage: azure-vnet-ipam show [--json]\n");
            return 2;
        }

        Model.IpamState state;
        try
        {
            state = new IpamStore(stateDir).Load();
        }
        catch (IOException e)
        {
            output.Append("show: ").Append(e.Message).Append('\n');
            return 2;
        }

        var report = new IpamShowReport { Pools = PoolSummary.Of(state) };
        foreach (var pool in state.Pools)
        {
            foreach (var record in pool.Addresses.Where(r => r.InUse))
                report.Reservations.Add(new Reservation { Address = record.Address, Network = record.Network ?? "", ContainerId = record.ContainerId!, IfName = record.IfName ?? "" });
        }

        if (json)
        {
            ShowJson.Append(report, output);
            return 0;
        }

        WritePools(report.Pools, output);
        output.Append('\n');
        var reserved = new TextTable("ADDRESS", "NETWORK", "CONTAINER", "IFNAME");
        foreach (var r in report.Reservations)
            reserved.Add(r.Address, r.Network, r.ContainerId, r.IfName);
        reserved.WriteTo(output);
        return 0;
    }

    public static void WritePools(List<PoolSummary> pools, StringBuilder output)
    {
        var table = new TextTable("SUBNET", "SOURCE", "TOTAL", "IN USE", "FREE", "STALE");
        foreach (var p in pools)
            table.Add(p.Subnet, p.Source.Length == 0 ? "-" : p.Source, Number(p.Total), Number(p.InUse), Number(p.Free), Number(p.Stale));
        table.WriteTo(output);
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>`azure-vnet-ipam show --json`.</summary>
[CniJsonObject]
public sealed partial class IpamShowReport
{
    public List<PoolSummary> Pools { get; set; } = [];

    public List<Reservation> Reservations { get; set; } = [];
}

/// <summary>A reserved address and its owning attachment.</summary>
[CniJsonObject]
public sealed partial class Reservation
{
    public string Address { get; set; } = "";

    public string Network { get; set; } = "";

    [JsonName("containerID")]
    public string ContainerId { get; set; } = "";

    public string IfName { get; set; } = "";
}
