namespace AzureCni.Netlink;

/// <summary>
/// What a request does, for error messages. Kept as parts so the text is only formatted when a request fails.
/// </summary>
internal readonly record struct NetlinkOperation(string Action, string? Name = null, int Index = 0)
{
    public override string ToString() =>
        Name is not null ? $"{Action} '{Name}'" : Index != 0 ? $"{Action} (ifindex {Index})" : Action;
}
