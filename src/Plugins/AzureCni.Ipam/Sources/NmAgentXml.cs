using AzureCni.Ipam.Model;

namespace AzureCni.Ipam.Sources;

/// <summary>Maps NMAgent's getinterfaceinfov1 document to the source model.</summary>
public static class NmAgentXml
{
    public static SourceInterfaces Parse(ReadOnlySpan<byte> xml)
    {
        var root = MiniXml.Parse(xml);
        if (!string.Equals(root.Name, "Interfaces", StringComparison.Ordinal))
            throw new FormatException($"XML: root element is <{root.Name}>, expected <Interfaces>");

        var result = new SourceInterfaces();
        foreach (var nic in root.Children)
        {
            if (!string.Equals(nic.Name, "Interface", StringComparison.Ordinal))
                continue;

            var item = new SourceInterface
            {
                MacAddress = Required(nic, "MacAddress"),
                IsPrimary = Flag(nic, "IsPrimary"),
            };
            foreach (var subnet in nic.Children)
            {
                if (!string.Equals(subnet.Name, "IPSubnet", StringComparison.Ordinal))
                    continue;

                var pool = new SourceSubnet { Prefix = Required(subnet, "Prefix"), Gateway = subnet.Attribute("Gateway") };
                foreach (var address in subnet.Children)
                {
                    if (string.Equals(address.Name, "IPAddress", StringComparison.Ordinal))
                        pool.IPAddresses.Add(new SourceAddress { Address = Required(address, "Address"), IsPrimary = Flag(address, "IsPrimary") });
                }

                item.IPSubnets.Add(pool);
            }

            result.Interfaces.Add(item);
        }

        return result;
    }

    private static string Required(MiniXmlElement element, string attribute) =>
        element.Attribute(attribute) ?? throw new FormatException($"XML: <{element.Name}> has no {attribute} attribute");

    private static bool Flag(MiniXmlElement element, string attribute)
    {
        string? value = element.Attribute(attribute);
        if (value is null || value.Equals("false", StringComparison.OrdinalIgnoreCase))
            return false;

        if (value.Equals("true", StringComparison.OrdinalIgnoreCase))
            return true;

        throw new FormatException($"XML: <{element.Name}> {attribute}=\"{value}\" is not true or false");
    }
}
