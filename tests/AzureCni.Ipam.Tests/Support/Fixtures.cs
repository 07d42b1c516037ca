using System.Text;

namespace AzureCni.Ipam.Tests.Support;

public static class Fixtures
{
    public const string Mac = "000D3A6E1825";

    /// <summary>One primary NIC, subnet 10.240.0.0/16, primary 10.240.0.4 and the given secondaries.</summary>
    public static string InterfacesJson(string mac = Mac, params string[] secondaries)
    {
        var addresses = new StringBuilder("{\"Address\":\"10.240.0.4\",\"IsPrimary\":true}");
        foreach (string address in secondaries)
            addresses.Append(",{\"Address\":\"").Append(address).Append("\",\"IsPrimary\":false}");

        return "{\"Interfaces\":[{\"MacAddress\":\"" + mac + "\",\"IsPrimary\":true,\"IPSubnets\":[{\"Prefix\":\"10.240.0.0/16\",\"IPAddresses\":[" + addresses + "]}]}]}";
    }

    public static string NmAgentXml(string mac = Mac, params string[] secondaries)
    {
        var xml = new StringBuilder("<Interfaces><Interface MacAddress=\"").Append(mac).Append("\" IsPrimary=\"true\"><IPSubnet Prefix=\"10.240.0.0/16\">");
        xml.Append("<IPAddress Address=\"10.240.0.4\" IsPrimary=\"true\"/>");
        foreach (string address in secondaries)
            xml.Append("<IPAddress Address=\"").Append(address).Append("\" IsPrimary=\"false\"/>");

        return xml.Append("</IPSubnet></Interface></Interfaces>").ToString();
    }

    public static readonly string[] Three = ["10.240.0.5", "10.240.0.6", "10.240.0.7"];
}
