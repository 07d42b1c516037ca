using AzureCni.Netlink.Interop.Kernel;

namespace AzureCni.Netlink.Requests;

/// <summary>The nlmsg_flags each verb uses (the semantics follow from the flags, as in iproute2).</summary>
internal static class RequestFlags
{
    /// <summary>Add: create, fail if it exists (EEXIST).</summary>
    public const ushort Create = NLM_F.NLM_F_REQUEST | NLM_F.NLM_F_ACK | NLM_F.NLM_F_CREATE | NLM_F.NLM_F_EXCL;

    /// <summary>Replace: create or overwrite.</summary>
    public const ushort Replace = NLM_F.NLM_F_REQUEST | NLM_F.NLM_F_ACK | NLM_F.NLM_F_CREATE | NLM_F.NLM_F_REPLACE;

    /// <summary>Delete, set or get one object: acknowledged.</summary>
    public const ushort Acknowledged = NLM_F.NLM_F_REQUEST | NLM_F.NLM_F_ACK;

    /// <summary>Dump every object; ends with NLMSG_DONE.</summary>
    public const ushort Dump = NLM_F.NLM_F_REQUEST | NLM_F.NLM_F_DUMP;
}
