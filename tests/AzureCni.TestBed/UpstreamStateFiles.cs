using System.Globalization;

namespace AzureCni.TestBed;

/// <summary>
/// State files in upstream Azure CNI's own format (the shapes of ../shared/reference/upstream-state-and-migration.md),
/// as a node that upstream ran holds them: for the tests that take such a node over.
/// </summary>
public static class UpstreamStateFiles
{
    /// <summary>
    /// upstream's azure-vnet-ipam.json for node N: its secondaries 10.240.N.5 onwards, each address in
    /// <paramref name="owners"/> in use by that container.
    /// </summary>
    public static string Ipam(SimNode node, int secondaries, IReadOnlyDictionary<string, string> owners, string version)
    {
        var addresses = Enumerable.Range(5, secondaries).Select(i =>
        {
            string address = $"10.240.{node.Index}.{i}";
            string? owner = owners.GetValueOrDefault(address);
            return $$"""
                "{{address}}":{"ID":"{{owner ?? ""}}","Addr":"{{address}}","InUse":{{(owner is null ? "false" : "true")}} }
                """;
        });
        return $$"""
            {"IPAM":{"Version":"{{version}}","TimeStamp":"2026-03-02T10:15:30.123456789Z","AddressSpaces":{"local":{"Id":"local","Scope":0,"Pools":{
             "10.240.0.0/16":{"Id":"10.240.0.0/16","IfName":"eth0","Subnet":{"IP":"10.240.0.0","Mask":"//8AAA=="},"Gateway":"10.240.0.1","Addresses":{
              {{string.Join(",\n  ", addresses)}} },"IsIPv6":false,"Priority":0,"RefCount":1} } } } } }
            """;
    }

    /// <summary>A MAC ("aa:bb:..") as upstream's JSON holds one: Go's []byte, base64.</summary>
    public static string Base64Mac(string mac) =>
        Convert.ToBase64String(mac.Split(':').Select(h => byte.Parse(h, NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToArray());
}
