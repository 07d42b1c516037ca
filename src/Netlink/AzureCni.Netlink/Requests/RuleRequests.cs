using AzureCni.Netlink.Interop.Kernel;
using AzureCni.Netlink.Protocol;

namespace AzureCni.Netlink.Requests;

/// <summary>Encoders for RTM_*RULE requests (<c>struct fib_rule_hdr</c> and FRA_* attributes, linux/fib_rules.h).</summary>
internal static class RuleRequests
{
    /// <summary>RTM_NEWRULE or RTM_DELRULE for <paramref name="rule"/>, laid out as iproute2 does.</summary>
    public static void Modify(ref NetlinkWriter writer, ushort messageType, ushort flags, FibRule rule)
    {
        byte family = AddressEncoding.FamilyOf(rule.Family);
        if (family == AF.AF_UNSPEC)
            throw new ArgumentException("A rule needs the IPv4 or IPv6 family.", nameof(rule));
        if (rule.Table == 0)
            throw new ArgumentException("A rule needs a table.", nameof(rule));
        var header = new fib_rule_hdr
        {
            family = family,
            // Tables above 255 only fit FRA_TABLE; iproute2 sends both.
            table = rule.Table < 256 ? (byte)rule.Table : RT_TABLE.RT_TABLE_UNSPEC,
            action = rule.Action,
        };
        writer.BeginMessage(messageType, flags);
        scoped var message = new FibRuleMessage { Header = header };
        message.Attributes.Priority = rule.Priority;
        message.Attributes.FwMark = rule.FwMark;
        message.Attributes.FwMask = rule.FwMask;
        message.Attributes.Table = rule.Table;
        FibRuleMessage.Write(message, ref writer);
        writer.EndMessage();
    }

    /// <summary>RTM_GETRULE dump of one family.</summary>
    public static void Dump(ref NetlinkWriter writer, byte family)
    {
        writer.BeginMessage(RTM.RTM_GETRULE, RequestFlags.Dump);
        writer.WriteStruct(new fib_rule_hdr { family = family });
        writer.EndMessage();
    }
}
