namespace AzureCni.Generators.Netlink.Model;

/// <summary>Where a generated partial goes: namespace (empty for the global one), name and ref-ness.</summary>
internal sealed record NetlinkTypeSpec(string Namespace, string Name, bool IsRefStruct)
{
    public string FullyQualifiedName => Namespace.Length == 0 ? "global::" + Name : "global::" + Namespace + "." + Name;

    public string HintName => (Namespace.Length == 0 ? Name : Namespace + "." + Name) + ".Netlink.g.cs";
}
