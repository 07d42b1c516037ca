using AzureCni.Netlink;
using AzureCni.Netlink.NfTables;
using AzureCni.Netlink.Protocol;
using AzureCni.Vnet.Linux.Rules;

namespace AzureCni.Fuzz.Targets;

/// <summary>
/// A datagram of an nf_tables GETRULE dump of a bridge table (what ebtables-nft leaves): every message read as a rule
/// and as an ebtables rule, and the rule tried as one of upstream Azure CNI's per-pod rules. The refusal:
/// NetlinkDecodeException (malformed).
/// </summary>
public static class EbtablesTarget
{
    public static void Run(byte[] input)
    {
        var payloads = new List<byte[]>();
        var reader = new NetlinkMessageReader(input);
        while (reader.MoveNext())
            payloads.Add(reader.Payload.ToArray());
        foreach (byte[] payload in payloads)
        {
            Refusal.Allow(() => _ = NfRuleDump.Decode(payload).ToString(), Documented);
            Refusal.Allow(() =>
            {
                var rule = EbtablesRuleDecoder.Decode(payload);
                _ = rule.ToString();
                _ = UpstreamPodRules.TryRead(rule, out _, out _);
            }, Documented);
        }
    }

    private static bool Documented(Exception e) => e is NetlinkDecodeException;
}
