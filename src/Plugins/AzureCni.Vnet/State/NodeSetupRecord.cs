using AzureCni.Json;

namespace AzureCni.Vnet.State;

/// <summary>
/// A bridge-mode node setup in progress: written before its first change (the master's addresses and routes as they
/// were), removed when it is done. A process killed half-way leaves it, and the next call of any command completes the
/// setup from it before anything else, so the node never stays without its address or default route.
/// </summary>
[CniJsonObject]
public sealed partial class NodeSetupRecord
{
    public string Bridge { get; set; } = "";

    public string Master { get; set; } = "";

    /// <summary>"aa:bb:cc:dd:ee:ff": the bridge takes the master's MAC.</summary>
    public string MasterMac { get; set; } = "";

    /// <summary>The master's global addresses before the move.</summary>
    public List<SavedAddress> Addresses { get; set; } = [];

    /// <summary>The master's routes before the move that the kernel does not recreate by itself.</summary>
    public List<SavedRoute> Routes { get; set; } = [];
}

/// <summary>An interface address as the setup found it.</summary>
[CniJsonObject]
public sealed partial class SavedAddress
{
    /// <summary>"10.240.0.4/16".</summary>
    public string Address { get; set; } = "";

    /// <summary>RT_SCOPE_*.</summary>
    public byte Scope { get; set; }
}

/// <summary>A route as the setup found it, its output interface left out (it moves to the bridge).</summary>
[CniJsonObject]
public sealed partial class SavedRoute
{
    /// <summary>"10.0.0.0/8"; "" for a default route.</summary>
    public string Destination { get; set; } = "";

    /// <summary>4 or 6: a default route has no destination to tell the family by.</summary>
    public byte Family { get; set; } = 4;

    public string? Gateway { get; set; }

    public string? PreferredSource { get; set; }

    /// <summary>RT_SCOPE_*; absent to let the kernel pick.</summary>
    public byte? Scope { get; set; }

    public uint Table { get; set; } = 254;

    /// <summary>RTPROT_*.</summary>
    public byte Protocol { get; set; }

    public uint? Metric { get; set; }
}
