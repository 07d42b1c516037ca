using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;

/// <summary>Owns an HCN_NAMESPACE handle, so no failure path between open and close can leak it.</summary>
[SupportedOSPlatform("windows")]
internal sealed class SafeHcnNamespaceHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public SafeHcnNamespaceHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle() => Interop.ComputeNetwork.HcnCloseNamespace(handle) >= 0;
}
