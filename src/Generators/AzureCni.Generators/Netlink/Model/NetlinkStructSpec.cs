using AzureCni.Generators.Common;

namespace AzureCni.Generators.Netlink.Model;

/// <summary>A fixed kernel struct: its fields at their C offsets and its padded size.</summary>
internal sealed record NetlinkStructSpec(NetlinkTypeSpec Type, int Size, EquatableArray<NetlinkFieldSpec> Fields);

/// <summary>One integer field of a kernel struct.</summary>
internal sealed record NetlinkFieldSpec(string Name, string TypeKeyword, int Offset, int Size);
