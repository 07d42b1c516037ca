using System.Globalization;
using System.Text;

namespace AzureCni.Ipam.Tests.Support;

public static class Fixtures
{
    public const string Mac = "000D3A6E1825";

    /// <summary>The IPv6 subnet of a dual-stack listing: primary ::4, gateway ::1 (prefix|::1).</summary>
    public const string V6Subnet = "fd00:240::/64";

    /// <summary>One primary NIC, subnet 10.240.0.0/16, primary 10.240.0.4 and the given secondaries.</summary>
    public static string InterfacesJson(string mac = Mac, params string[] secondaries) => DualStackInterfacesJson(mac, secondaries, []);

    /// <summary>As <see cref="InterfacesJson"/>, plus <see cref="V6Subnet"/> with primary fd00:240::4 and the IPv6 secondaries (none: no IPv6 subnet).</summary>
    public static string DualStackInterfacesJson(string mac, string[] secondaries, string[] v6Secondaries)
    {
        var subnets = new StringBuilder();
        foreach (var (prefix, primary, addresses) in Subnets(secondaries, v6Secondaries))
        {
            subnets.Append(subnets.Length == 0 ? "" : ",").Append("{\"Prefix\":\"").Append(prefix).Append("\",\"IPAddresses\":[")
                .Append("{\"Address\":\"").Append(primary).Append("\",\"IsPrimary\":true}");
            foreach (string address in addresses)
                subnets.Append(",{\"Address\":\"").Append(address).Append("\",\"IsPrimary\":false}");
            subnets.Append("]}");
        }

        return "{\"Interfaces\":[{\"MacAddress\":\"" + mac + "\",\"IsPrimary\":true,\"IPSubnets\":[" + subnets + "]}]}";
    }

    public static string NmAgentXml(string mac = Mac, params string[] secondaries) => DualStackNmAgentXml(mac, secondaries, []);

    public static string DualStackNmAgentXml(string mac, string[] secondaries, string[] v6Secondaries)
    {
        var xml = new StringBuilder("<Interfaces><Interface MacAddress=\"").Append(mac).Append("\" IsPrimary=\"true\">");
        foreach (var (prefix, primary, addresses) in Subnets(secondaries, v6Secondaries))
        {
            xml.Append("<IPSubnet Prefix=\"").Append(prefix).Append("\">");
            xml.Append("<IPAddress Address=\"").Append(primary).Append("\" IsPrimary=\"true\"/>");
            foreach (string address in addresses)
                xml.Append("<IPAddress Address=\"").Append(address).Append("\" IsPrimary=\"false\"/>");
            xml.Append("</IPSubnet>");
        }

        return xml.Append("</Interface></Interfaces>").ToString();
    }

    private static IEnumerable<(string Prefix, string Primary, string[] Secondaries)> Subnets(string[] secondaries, string[] v6Secondaries)
    {
        yield return ("10.240.0.0/16", "10.240.0.4", secondaries);
        if (v6Secondaries.Length > 0)
            yield return (V6Subnet, "fd00:240::4", v6Secondaries);
    }

    /// <summary>fd00:240::a, fd00:240::b, ...: <paramref name="count"/> IPv6 secondaries from offset <paramref name="first"/>.</summary>
    public static string[] V6(int first, int count) =>
        Enumerable.Range(first, count).Select(i => "fd00:240::" + i.ToString("x", CultureInfo.InvariantCulture)).ToArray();

    public static readonly string[] Three = ["10.240.0.5", "10.240.0.6", "10.240.0.7"];
}
