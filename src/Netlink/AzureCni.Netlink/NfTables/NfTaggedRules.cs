using System.Buffers;
using System.Text;
using AzureCni.Netlink.Interop.Kernel;

namespace AzureCni.Netlink.NfTables;

/// <summary>Writes one rule set into a batch; <paramref name="tagUserData"/> goes into every rule it begins.</summary>
public delegate void NfRuleSetWriter(ref NfBatchWriter batch, scoped ReadOnlySpan<byte> tagUserData);

/// <summary>
/// Rule sets addressed by a tag (the nft comment every one of their rules carries), in a table the caller owns in
/// each of the given families. Replacing a set is one atomic transaction (the tag's old rules deleted, the new ones
/// added); deleting by tag removes exactly those rules and succeeds when there are none. Which rules, tables and
/// tags is the caller's policy; this is only the mechanism.
/// </summary>
public static class NfTaggedRules
{
    /// <summary>Replaces the rules tagged <paramref name="tag"/> in <paramref name="families"/> with what <paramref name="write"/> adds.</summary>
    /// <param name="estimate">Bytes the new rules take in a batch (the buffer grows by the old rules' deletes).</param>
    public static void Replace(NfTablesClient nft, NfRuleScope scope, string tag, int estimate, NfRuleSetWriter write)
    {
        Span<byte> userData = stackalloc byte[NfRuleTag.EncodedLength(tag)];
        NfRuleTag.Write(tag, userData);
        for (int attempt = 1; ; attempt++)
        {
            List<NfRule> old = nft.ListRules(scope.Table, scope.Families).FindAll(r => r.Tag == tag);
            byte[] buffer = ArrayPool<byte>.Shared.Rent(estimate + 160 * old.Count);
            try
            {
                var batch = new NfBatchWriter(buffer);
                DeleteAll(ref batch, scope, old);
                write(ref batch, userData);
                int count = batch.MessageCount;
                nft.Commit(buffer.AsSpan(0, batch.Finish().Length), count);
                return;
            }
            catch (NetlinkException e) when (e.Errno == ERRNO.ENOENT && old.Count > 0 && attempt < 3)
            {
                // One of the old rules went away between the dump and the transaction: look again.
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>True when the tag's rules are, by family and chain, the ones <paramref name="write"/> would add.</summary>
    public static bool Matches(NfTablesClient nft, NfRuleScope scope, string tag, int estimate, NfRuleSetWriter write)
    {
        Span<byte> userData = stackalloc byte[NfRuleTag.EncodedLength(tag)];
        NfRuleTag.Write(tag, userData);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(estimate);
        try
        {
            var batch = new NfBatchWriter(buffer);
            write(ref batch, userData);
            // The same (family, chain) pairs, in any order; matched one by one rather than sorted as tuples, whose
            // comparer NativeAOT would build with its runtime type loader.
            List<(NfFamily Family, string Chain)> expected = NfBatchInspector.NewRules(batch.Finish());
            List<NfRule> actual = nft.ListRules(scope.Table, scope.Families).FindAll(r => r.Tag == tag);
            if (expected.Count != actual.Count)
                return false;
            foreach ((NfFamily family, string chain) in expected)
            {
                int match = actual.FindIndex(r => r.Family == family && r.Chain == chain);
                if (match < 0)
                    return false;
                actual.RemoveAt(match);
            }
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Deletes every rule tagged <paramref name="tag"/>, in one transaction; how many there were (0 is success).</summary>
    public static int Delete(NfTablesClient nft, NfRuleScope scope, string tag)
    {
        for (int attempt = 1; ; attempt++)
        {
            List<NfRule> rules = nft.ListRules(scope.Table, scope.Families).FindAll(r => r.Tag == tag);
            if (rules.Count == 0)
                return 0;
            try
            {
                nft.DeleteRules(rules);
                return rules.Count;
            }
            catch (NetlinkException e) when (e.Errno == ERRNO.ENOENT && attempt < 3)
            {
                // Someone removed one of them between the dump and the delete: look again.
            }
        }
    }

    /// <summary>Every tag in the scope's tables, sorted ordinally, each once.</summary>
    public static List<string> ListTags(NfTablesClient nft, NfRuleScope scope)
    {
        var tags = new List<string>();
        foreach (NfRule rule in nft.ListRules(scope.Table, scope.Families))
        {
            if (rule.Tag is not null)
                tags.Add(rule.Tag);
        }
        return SortedDistinct(tags);
    }

    /// <summary>
    /// <paramref name="tags"/> sorted ordinally, each once. Not a <c>SortedSet</c>: its tree nodes make NativeAOT keep
    /// its runtime type loader, whose static fields every process start allocates. Not <c>List.Sort</c> either: code
    /// shared by every list type, which puts a sort helper and a comparer with static fields in the image for each.
    /// </summary>
    public static List<string> SortedDistinct(List<string> tags)
    {
        string[] sorted = tags.ToArray();
        Array.Sort(sorted, StringComparer.Ordinal);
        var distinct = new List<string>(sorted.Length);
        foreach (string tag in sorted)
        {
            if (distinct.Count == 0 || !string.Equals(distinct[^1], tag, StringComparison.Ordinal))
                distinct.Add(tag);
        }
        return distinct;
    }

    /// <summary><c>nft delete table FAMILY TABLE</c> for each family of the scope; a table already gone is success.</summary>
    public static void DeleteTables(NfTablesClient nft, NfRuleScope scope)
    {
        foreach (NfFamily family in scope.Families)
            nft.DeleteTable(family, scope.Table);
    }

    private static void DeleteAll(ref NfBatchWriter batch, NfRuleScope scope, List<NfRule> rules)
    {
        Span<byte> table = stackalloc byte[Encoding.UTF8.GetByteCount(scope.Table)];
        Encoding.UTF8.GetBytes(scope.Table, table);
        foreach (NfRule rule in rules)
            batch.DeleteRule(rule.Family, table, Encoding.UTF8.GetBytes(rule.Chain), rule.Handle);
    }
}

/// <summary>A table name and the families it is kept in.</summary>
public readonly record struct NfRuleScope(string Table, NfFamily[] Families);
