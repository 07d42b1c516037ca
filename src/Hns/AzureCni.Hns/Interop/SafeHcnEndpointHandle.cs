using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;

/// <summary>Owns an HCN_ENDPOINT handle, so no failure path between open and close can leak it.</summary>
[SupportedOSPlatform("windows")]
internal sealed class SafeHcnEndpointHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public SafeHcnEndpointHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle() => Interop.ComputeNetwork.HcnCloseEndpoint(handle) >= 0;
}
