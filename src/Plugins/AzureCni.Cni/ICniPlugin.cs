namespace AzureCni.Cni;

/// <summary>
/// A CNI plugin as the host (CniHost) drives it. The host validates the environment, the config's
/// cniVersion and the per-command gates before calling; a method reports failure by throwing
/// <see cref="CniException"/>. Both plugins and their tests implement it, so extend it (new members with
/// defaults) rather than change a member a plugin already relies on.
/// </summary>
public interface ICniPlugin
{
    /// <summary>The plugin's name as in logs and state files, e.g. "azure-vnet".</summary>
    string Name { get; }

    /// <summary>True when the plugin configures CNI_NETNS: the host then refuses one that is not a network namespace, or is the node's own.</summary>
    bool ConfiguresNetns => false;

    /// <summary>ADD: returns the result in the version-independent model; the host converts it to the config's cniVersion.</summary>
    Types.CniResult Add(CniRequest request);

    /// <summary>DEL: must succeed when there is nothing left to delete.</summary>
    void Delete(CniRequest request);

    /// <summary>CHECK: throws naming what is missing; prints nothing on success.</summary>
    void Check(CniRequest request);

    /// <summary>GC: releases what belongs to attachments not in the request's valid-attachments list.</summary>
    void GarbageCollect(CniRequest request);

    /// <summary>STATUS: throws code 50 or 51 when the plugin cannot serve an ADD.</summary>
    void Status(CniRequest request);
}
