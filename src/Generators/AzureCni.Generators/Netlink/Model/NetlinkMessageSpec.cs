namespace AzureCni.Generators.Netlink.Model;

/// <summary>A message body: a fixed header struct followed by an attribute set (both global-qualified names).</summary>
internal sealed record NetlinkMessageSpec(NetlinkTypeSpec Type, string HeaderType, string AttributesType);
