using AzureCni.Netlink.Interop.Kernel;
using AzureCni.Netlink.NfTables;
using AzureCni.Netlink.Protocol;

namespace AzureCni.Netlink.Tests.NfTables;

/// <summary>
/// nf_tables messages against bytes laid out by hand from linux/netlink.h, linux/netfilter/nfnetlink.h and
/// linux/netfilter/nf_tables.h (x86-64: nlmsghdr fields little-endian, nf_tables values big-endian; sequence 0,
/// the client stamps it). Nest types carry NLA_F_NESTED (0x8000), as libnftnl writes them. Each expression's
/// comment is the line <c>nft --debug=netlink</c> prints for it.
/// </summary>
public sealed class NfTablesGoldenBytesTests
{
    private const string BatchBegin = "14000000 1000 0100 00000000 00000000  00 00 000a  # NFNL_MSG_BATCH_BEGIN REQUEST, nfgenmsg AF_UNSPEC v0 res_id=htons(NFNL_SUBSYS_NFTABLES)";
    private const string BatchEnd = "14000000 1100 0100 00000000 00000000  00 00 000a  # NFNL_MSG_BATCH_END";

    internal delegate void BatchEncoder(ref NfBatchWriter batch);

    internal static byte[] EncodeBatch(BatchEncoder encode)
    {
        Span<byte> buffer = stackalloc byte[8192];
        buffer.Fill(0xCD); // unwritten padding would show
        var batch = new NfBatchWriter(buffer);
        encode(ref batch);
        return batch.Finish().ToArray();
    }

    private static void AssertBytes(string expected, byte[] actual) =>
        Assert.Equal(Hex.Format(Hex.Parse(expected)), Hex.Format(actual));

    [Fact]
    public void EmptyBatchIsBeginAndEnd()
    {
        AssertBytes(BatchBegin + "\n" + BatchEnd, EncodeBatch((ref b) => { }));
    }

    [Fact]
    public void NewTable()
    {
        AssertBytes(BatchBegin + """

            2c000000 000a 0504 00000000 00000000   # len=44 NFT_MSG_NEWTABLE REQUEST|ACK|CREATE
            02 00 0000                             # nfgenmsg NFPROTO_IPV4
            0e00 0100 617a7572652d636e6900 0000    # NFTA_TABLE_NAME "azure-cni\0" + 2 pad
            0800 0200 00000000                     # NFTA_TABLE_FLAGS 0
            """ + "\n" + BatchEnd, EncodeBatch((ref b) => b.AddTable(NfFamily.Ip, "azure-cni"u8)));
    }

    [Fact]
    public void NewBaseChain()
    {
        AssertBytes(BatchBegin + """

            58000000 030a 0504 00000000 00000000   # len=88 NFT_MSG_NEWCHAIN REQUEST|ACK|CREATE
            02 00 0000                             # NFPROTO_IPV4
            0e00 0100 617a7572652d636e6900 0000    # NFTA_CHAIN_TABLE "azure-cni"
            0f00 0300 707265726f7574696e6700 00    # NFTA_CHAIN_NAME "prerouting"
            1400 0480                              # NFTA_CHAIN_HOOK (nested)
              0800 0100 00000000                   #   NFTA_HOOK_HOOKNUM NF_INET_PRE_ROUTING
              0800 0200 ffffff9c                   #   NFTA_HOOK_PRIORITY -100
            0800 0500 00000001                     # NFTA_CHAIN_POLICY NF_ACCEPT
            0800 0700 6e617400                     # NFTA_CHAIN_TYPE "nat"
            """ + "\n" + BatchEnd,
            EncodeBatch((ref b) => b.AddBaseChain(NfFamily.Ip, "azure-cni"u8, "prerouting"u8, "nat"u8, NfHook.Prerouting, -100)));
    }

    [Fact]
    public void DeleteRuleAndTable()
    {
        AssertBytes(BatchBegin + """

            40000000 080a 0500 00000000 00000000   # len=64 NFT_MSG_DELRULE REQUEST|ACK
            07 00 0000                             # NFPROTO_BRIDGE
            0e00 0100 617a7572652d636e6900 0000    # NFTA_RULE_TABLE "azure-cni"
            1000 0200 706f7374726f7574696e6700     # NFTA_RULE_CHAIN "postrouting"
            0c00 0300 0000000000000007             # NFTA_RULE_HANDLE 7 (be64)
            24000000 020a 0500 00000000 00000000   # len=36 NFT_MSG_DELTABLE REQUEST|ACK
            0a 00 0000                             # NFPROTO_IPV6
            0e00 0100 617a7572652d636e6900 0000    # NFTA_TABLE_NAME "azure-cni"
            """ + "\n" + BatchEnd, EncodeBatch((ref b) =>
        {
            b.DeleteRule(NfFamily.Bridge, "azure-cni"u8, "postrouting"u8, 7);
            b.DeleteTable(NfFamily.Ip6, "azure-cni"u8);
        }));
    }

    [Fact]
    public void RuleRewritingTheSourceMac()
    {
        // nft add rule bridge azure-cni postrouting oifname "eth0" ether saddr set 00:0d:3a:01:02:03 comment "azcni:node:eth0"
        byte[] tag = new byte[64];
        int tagLength = NfRuleTag.Write("azcni:node:eth0", tag);
        AssertBytes(BatchBegin + """

            10010000 060a 050c 00000000 00000000   # len=272 NFT_MSG_NEWRULE REQUEST|ACK|CREATE|APPEND
            07 00 0000                             # NFPROTO_BRIDGE
            0e00 0100 617a7572652d636e6900 0000    # NFTA_RULE_TABLE "azure-cni"
            1000 0200 706f7374726f7574696e6700     # NFTA_RULE_CHAIN "postrouting"
            1600 0700 0010 617a636e693a6e6f64653a6574683000 0000  # NFTA_RULE_USERDATA: comment TLV (type 0, len 16)
            c400 0480                              # NFTA_RULE_EXPRESSIONS
              2400 0180                            #   NFTA_LIST_ELEM: [ meta load oifname => reg 1 ]
                0900 0100 6d65746100 000000        #     NFTA_EXPR_NAME "meta"
                1400 0280                          #     NFTA_EXPR_DATA
                  0800 0200 00000007               #       NFTA_META_KEY NFT_META_OIFNAME
                  0800 0100 00000001               #       NFTA_META_DREG 1
              3800 0180                            #   [ cmp eq reg 1 0x30687465 0x00000000 0x00000000 0x00000000 ]
                0800 0100 636d7000                 #     "cmp"
                2c00 0280
                  0800 0100 00000001               #       NFTA_CMP_SREG 1
                  0800 0200 00000000               #       NFTA_CMP_OP NFT_CMP_EQ
                  1800 0380                        #       NFTA_CMP_DATA
                    1400 0100 65746830 000000000000000000000000  # NFTA_DATA_VALUE "eth0" padded to IFNAMSIZ
              3000 0180                            #   [ immediate reg 1 0x033a0d00 0x00000302 ]
                0e00 0100 696d6d65646961746500 0000  # "immediate"
                1c00 0280
                  0800 0100 00000001               #       NFTA_IMMEDIATE_DREG 1
                  1000 0280                        #       NFTA_IMMEDIATE_DATA
                    0a00 0100 000d3a010203 0000    #         NFTA_DATA_VALUE the MAC
              3400 0180                            #   [ payload write reg 1 => 6b @ link header + 6 csum_type 0 ]
                0c00 0100 7061796c6f616400         #     "payload"
                2400 0280
                  0800 0200 00000000               #       NFTA_PAYLOAD_BASE NFT_PAYLOAD_LL_HEADER
                  0800 0300 00000006               #       NFTA_PAYLOAD_OFFSET 6
                  0800 0400 00000006               #       NFTA_PAYLOAD_LEN 6
                  0800 0500 00000001               #       NFTA_PAYLOAD_SREG 1
            """ + "\n" + BatchEnd, EncodeBatch((ref b) =>
        {
            b.BeginRule(NfFamily.Bridge, "azure-cni"u8, "postrouting"u8, tag.AsSpan(0, tagLength));
            b.MetaLoad(NFT_META.NFT_META_OIFNAME, NFT_REG.NFT_REG_1);
            b.CompareEqual(NFT_REG.NFT_REG_1, "eth0\0\0\0\0\0\0\0\0\0\0\0\0"u8);
            b.Immediate(NFT_REG.NFT_REG_1, [0x00, 0x0d, 0x3a, 0x01, 0x02, 0x03]);
            b.PayloadSet(NFT_PAYLOAD.NFT_PAYLOAD_LL_HEADER, 6, 6, NFT_REG.NFT_REG_1);
            b.EndRule();
        }));
    }

    [Fact]
    public void RuleWithFibNatMasqueradeAndVerdict()
    {
        byte[] tag = new byte[8];
        int tagLength = NfRuleTag.Write("t", tag);
        AssertBytes(BatchBegin + """

            e4000000 060a 050c 00000000 00000000   # len=228 NFT_MSG_NEWRULE
            02 00 0000                             # NFPROTO_IPV4
            0e00 0100 617a7572652d636e6900 0000    # NFTA_RULE_TABLE "azure-cni"
            0f00 0200 707265726f7574696e6700 00    # NFTA_RULE_CHAIN "prerouting"
            0800 0700 00027400                     # NFTA_RULE_USERDATA comment "t"
            a800 0480                              # NFTA_RULE_EXPRESSIONS
              2800 0180                            #   [ fib daddr type => reg 1 ]
                0800 0100 66696200
                1c00 0280
                  0800 0100 00000001               #       NFTA_FIB_DREG 1
                  0800 0200 00000003               #       NFTA_FIB_RESULT NFT_FIB_RESULT_ADDRTYPE
                  0800 0300 00000002               #       NFTA_FIB_FLAGS NFTA_FIB_F_DADDR
              3800 0180                            #   [ nat dnat ip addr_min reg 1 proto_min reg 2 flags 0x2 ]
                0800 0100 6e617400
                2c00 0280
                  0800 0100 00000001               #       NFTA_NAT_TYPE NFT_NAT_DNAT
                  0800 0200 00000002               #       NFTA_NAT_FAMILY NFPROTO_IPV4
                  0800 0300 00000001               #       NFTA_NAT_REG_ADDR_MIN 1
                  0800 0500 00000002               #       NFTA_NAT_REG_PROTO_MIN 2
                  0800 0700 00000002               #       NFTA_NAT_FLAGS NF_NAT_RANGE_PROTO_SPECIFIED
              1400 0180                            #   [ masq ]
                0900 0100 6d61737100 000000
                0400 0280                          #     empty NFTA_EXPR_DATA
              3000 0180                            #   [ immediate reg 0 drop ]
                0e00 0100 696d6d65646961746500 0000
                1c00 0280
                  0800 0100 00000000               #       NFTA_IMMEDIATE_DREG NFT_REG_VERDICT
                  1000 0280                        #       NFTA_IMMEDIATE_DATA
                    0c00 0280                      #         NFTA_DATA_VERDICT
                      0800 0100 00000000           #           NFTA_VERDICT_CODE NF_DROP
            """ + "\n" + BatchEnd, EncodeBatch((ref b) =>
        {
            b.BeginRule(NfFamily.Ip, "azure-cni"u8, "prerouting"u8, tag.AsSpan(0, tagLength));
            b.FibDestinationAddressType(NFT_REG.NFT_REG_1);
            b.Nat(NFT_NAT.NFT_NAT_DNAT, NfFamily.Ip, NFT_REG.NFT_REG_1, NFT_REG.NFT_REG_2);
            b.Masquerade();
            b.Verdict(NF_VERDICT.NF_DROP);
            b.EndRule();
        }));
    }

    [Fact]
    public void PayloadSetWithChecksum()
    {
        // [ payload write reg 1 => 4b @ network header + 16 csum_type 1 csum_off 10 csum_flags 0x1 ] (ip daddr set ...)
        byte[] bytes = EncodeBatch((ref b) =>
        {
            b.BeginRule(NfFamily.Ip, "t"u8, "c"u8, default);
            b.PayloadSet(NFT_PAYLOAD.NFT_PAYLOAD_NETWORK_HEADER, 16, 4, NFT_REG.NFT_REG_1,
                PayloadChecksum.Inet(10, NFT_PAYLOAD.NFT_PAYLOAD_L4CSUM_PSEUDOHDR));
            b.EndRule();
        });
        Assert.Contains(Hex.Format(Hex.Parse("""
            3c00 0280
              0800 0200 00000001  0800 0300 00000010  0800 0400 00000004  0800 0500 00000001
              0800 0600 00000001  0800 0700 0000000a  0800 0800 00000001
            """)), Hex.Format(bytes));
    }

    [Fact]
    public void BitwiseCounterAndMetaSet()
    {
        byte[] bytes = EncodeBatch((ref b) =>
        {
            b.BeginRule(NfFamily.Bridge, "t"u8, "c"u8, default);
            b.Bitwise(NFT_REG.NFT_REG_1, NFT_REG.NFT_REG_1, [0xff, 0x00], [0x00, 0x00]);
            b.Counter();
            b.MetaSet(NFT_META.NFT_META_PKTTYPE, NFT_REG.NFT_REG_1);
            b.EndRule();
        });
        Assert.Contains(Hex.Format(Hex.Parse("""
            9800 0480                              # NFTA_RULE_EXPRESSIONS
              4400 0180                            #   [ bitwise reg 1 = ( reg 1 & 0x000000ff ) ^ 0x00000000 ]
                0c00 0100 6269747769736500         #     "bitwise"
                3400 0280
                  0800 0100 00000001               #       NFTA_BITWISE_SREG 1
                  0800 0200 00000001               #       NFTA_BITWISE_DREG 1
                  0800 0300 00000002               #       NFTA_BITWISE_LEN 2
                  0c00 0480 0600 0100 ff00 0000    #       NFTA_BITWISE_MASK { NFTA_DATA_VALUE ff 00 }
                  0c00 0580 0600 0100 0000 0000    #       NFTA_BITWISE_XOR { NFTA_DATA_VALUE 00 00 }
              2c00 0180                            #   [ counter pkts 0 bytes 0 ]
                0c00 0100 636f756e74657200         #     "counter"
                1c00 0280
                  0c00 0100 0000000000000000       #       NFTA_COUNTER_BYTES 0 (be64)
                  0c00 0200 0000000000000000       #       NFTA_COUNTER_PACKETS 0
              2400 0180                            #   [ meta set pkttype with reg 1 ]
                0900 0100 6d65746100 000000        #     "meta"
                1400 0280
                  0800 0200 00000013               #       NFTA_META_KEY NFT_META_PKTTYPE
                  0800 0300 00000001               #       NFTA_META_SREG 1
            """)), Hex.Format(bytes));
        Assert.Throws<ArgumentException>(() => EncodeBatch((ref b) =>
        {
            b.BeginRule(NfFamily.Bridge, "t"u8, "c"u8, default);
            b.Bitwise(1, 1, [0xff], [0, 0]);
        }));
    }

    [Fact]
    public void GetRuleDump()
    {
        Span<byte> buffer = stackalloc byte[256];
        buffer.Fill(0xCD);
        var writer = new NetlinkWriter(buffer);
        NfRuleDump.WriteRequest(ref writer, NfFamily.Ip6, "azure-cni"u8);
        AssertBytes("""
            24000000 070a 0103 00000000 00000000   # len=36 NFT_MSG_GETRULE REQUEST|DUMP
            0a 00 0000                             # NFPROTO_IPV6
            0e00 0100 617a7572652d636e6900 0000    # NFTA_RULE_TABLE "azure-cni"
            """, writer.WrittenSpan.ToArray());
    }

    [Fact]
    public void ExpressionsOutsideARuleAreRefused()
    {
        Assert.Throws<InvalidOperationException>(() => EncodeBatch((ref b) => b.Masquerade()));
        Assert.Throws<InvalidOperationException>(() => EncodeBatch((ref b) => b.BeginRule(NfFamily.Ip, "t"u8, "c"u8, default)));
        Assert.Throws<InvalidOperationException>(() => EncodeBatch((ref b) => b.EndRule()));
    }
}
