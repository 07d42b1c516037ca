using System.Text;
using AzureCni.Netlink.Interop.Kernel;
using AzureCni.Netlink.Protocol;

namespace AzureCni.Netlink.NfTables;

/// <summary>Reads back an encoded batch: which rules it adds where (for CHECK, and for tests).</summary>
internal static class NfBatchInspector
{
    /// <summary>The (family, chain) of every NEWRULE in <paramref name="batch"/>.</summary>
    public static List<(NfFamily Family, string Chain)> NewRules(ReadOnlySpan<byte> batch)
    {
        var rules = new List<(NfFamily, string)>();
        var reader = new NetlinkMessageReader(batch);
        while (reader.MoveNext())
        {
            if (reader.MessageType != NFNL.MessageType(NFT_MSG.NFT_MSG_NEWRULE))
                continue;
            if (!NftRuleMessage.TryRead(reader.Payload, out NftRuleMessage message, out NetlinkDecodeError error))
                NetlinkDecodeException.Throw(error, "nftables rule");
            rules.Add(((NfFamily)message.Header.nfgen_family, Encoding.UTF8.GetString(message.Attributes.Chain)));
        }
        if (reader.Error != NetlinkDecodeError.None)
            NetlinkDecodeException.Throw(reader.Error, "nftables batch");
        return rules;
    }
}
