using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;

/// <summary>Owns an HCN_NETWORK handle, so no failure path between open and close can leak it.</summary>
[SupportedOSPlatform("windows")]
internal sealed class SafeHcnNetworkHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public SafeHcnNetworkHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle() => Interop.ComputeNetwork.HcnCloseNetwork(handle) >= 0;
}
