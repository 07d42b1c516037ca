using AzureCni.Cni.Types;
using AzureCni.Vnet.Transactions;

namespace AzureCni.Vnet.DataPath;

/// <summary>
/// What one command of azure-vnet does to the node, per platform (<c>Linux/LinuxDataPath</c>,
/// <c>Windows/WindowsDataPath</c>). The plugin does the CNI work around it once for every platform: the config, the
/// IPAM (in process or delegated), the ADD's undo stack, the log line. The calls come in this order:
/// ADD: <see cref="Claim"/>, IPAM ADD, <see cref="Attach"/>; DEL: <see cref="Detach"/>, IPAM DEL, <see cref="Forget"/>;
/// CHECK: <see cref="Check"/>, IPAM CHECK; GC: <see cref="GarbageCollect"/>, IPAM GC; STATUS: <see cref="Status"/>, IPAM STATUS.
/// </summary>
internal interface IVnetDataPath : IDisposable
{
    /// <summary>ADD, before the address is reserved: checks the attachment can be made (its namespace, no live
    /// attachment of the same name) and opens what <see cref="Attach"/> needs.</summary>
    void Claim();

    /// <summary>ADD: records the attachment with the IPAM's addresses before the first of its objects exists (so a DEL or
    /// GC after a crash from there on finds everything), then creates them; each registers its undo.</summary>
    CniResult Attach(CniResult ipamResult, UndoStack undo);

    /// <summary>DEL: removes the attachment's objects; each already gone is success.</summary>
    void Detach();

    /// <summary>DEL, after the address is released: drops the attachment's record.</summary>
    void Forget();

    /// <summary>CHECK: throws naming the first thing missing.</summary>
    void Check();

    /// <summary>GC: removes attachments not in the valid list, and leftovers nothing owns.</summary>
    void GarbageCollect();

    /// <summary>
    /// STATUS: throws when the node cannot take an ADD now; first finishes a node setup a killed call left half-done.
    /// Returns the note of a rebuild of a damaged state file until the next ordinary write, null when there is none.
    /// </summary>
    string? Status();
}
