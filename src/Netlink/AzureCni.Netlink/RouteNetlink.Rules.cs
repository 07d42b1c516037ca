using System.Net.Sockets;
using AzureCni.Netlink.Interop.Kernel;
using AzureCni.Netlink.Protocol;
using AzureCni.Netlink.Requests;

namespace AzureCni.Netlink;

public sealed partial class RouteNetlink
{
    /// <summary>Adds a policy-routing rule; fails with EEXIST when an equal one exists (NLM_F_EXCL, so concurrent adds never duplicate it).</summary>
    /// <remarks>Equivalent to: <c>ip [-4|-6] rule add [fwmark M[/MASK]] [priority P] lookup T</c>.</remarks>
    public void AddRule(FibRule rule) => ModifyRule(RTM.RTM_NEWRULE, RequestFlags.Create, rule, "add rule");

    /// <summary>Deletes a policy-routing rule; with <paramref name="missingOk"/> a rule that is not there is success.</summary>
    /// <returns>True when a rule was deleted.</returns>
    /// <remarks>Equivalent to: <c>ip [-4|-6] rule del [fwmark M[/MASK]] [priority P] lookup T</c>.</remarks>
    public bool DeleteRule(FibRule rule, bool missingOk = false)
    {
        try
        {
            ModifyRule(RTM.RTM_DELRULE, RequestFlags.Acknowledged, rule, "delete rule");
            return true;
        }
        catch (NetlinkException e) when (missingOk && e.IsNotFound)
        {
            return false;
        }
    }

    /// <summary>Lists the policy-routing rules of one family.</summary>
    /// <remarks>Equivalent to: <c>ip [-4|-6] rule show</c>.</remarks>
    public IReadOnlyList<FibRule> ListRules(AddressFamily family)
    {
        byte af = AddressEncoding.FamilyOf(family);
        if (af == AF.AF_UNSPEC)
            throw new ArgumentOutOfRangeException(nameof(family), family, "List IPv4 or IPv6 rules.");
        Span<byte> buffer = stackalloc byte[RouteNetlink.RequestBufferSize];
        var writer = new NetlinkWriter(buffer);
        RuleRequests.Dump(ref writer, af);
        return Dump(buffer[..writer.Length], new NetlinkOperation("list rules"), RTM.RTM_NEWRULE, ReplyDecoder.DecodeRule);
    }

    private void ModifyRule(ushort messageType, ushort flags, FibRule rule, string action)
    {
        Span<byte> buffer = stackalloc byte[RouteNetlink.RequestBufferSize];
        var writer = new NetlinkWriter(buffer);
        RuleRequests.Modify(ref writer, messageType, flags, rule);
        Execute(ref writer, buffer, new NetlinkOperation(action, "table " + rule.Table.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }
}
