<#
.SYNOPSIS
    Installs the azure-vnet CNI plugins on a Windows node.
.DESCRIPTION
    Downloads azure-vnet-cni-windows-amd64-v<version>.zip (or takes a local -Archive), puts the
    executables in -CniBinDir and the network configs (*.conflist and *.conf) in -CniNetConfDir.
    Runtime state and logs live in C:\k\ (azure-vnet.json, azure-vnet-ipam.json, *.log); they are
    left alone. No loopback plugin is needed on Windows.
.EXAMPLE
    .\install-cni-plugin.ps1 1.0.0
.EXAMPLE
    .\install-cni-plugin.ps1 -Archive .\azure-vnet-cni-windows-amd64-v1.0.0.zip
#>
[CmdletBinding(DefaultParameterSetName = 'Download')]
param(
    [Parameter(Position = 0, ParameterSetName = 'Download')]
    [string] $Version = '1.0.0',

    [Parameter(ParameterSetName = 'Download')]
    [string] $ReleaseUrl = 'https://github.com/Azure/azure-container-networking/releases/download',

    [Parameter(Mandatory = $true, ParameterSetName = 'Local')]
    [string] $Archive,

    [string] $CniBinDir = 'C:\k\azurecni\bin',
    [string] $CniNetConfDir = 'C:\k\azurecni\netconf'
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$staging = Join-Path ([System.IO.Path]::GetTempPath()) ("azure-vnet-cni-" + [guid]::NewGuid())
New-Item -ItemType Directory -Force -Path $staging | Out-Null
try {
    if ($PSCmdlet.ParameterSetName -eq 'Download') {
        $Version = $Version.TrimStart('v')
        $name = "azure-vnet-cni-windows-amd64-v$Version.zip"
        $Archive = Join-Path $staging $name
        $url = "$ReleaseUrl/v$Version/$name"
        Write-Host "Downloading $url"
        [Net.ServicePointManager]::SecurityProtocol = [Net.SecurityProtocolType]::Tls12
        Invoke-WebRequest -UseBasicParsing -Uri $url -OutFile $Archive
    }

    $extracted = Join-Path $staging 'extracted'
    Expand-Archive -Path $Archive -DestinationPath $extracted -Force

    $executables = @(Get-ChildItem -Path $extracted -Recurse -File -Filter '*.exe')
    if ($executables.Count -eq 0) {
        throw "$Archive holds no plugin executables."
    }
    $configs = @(Get-ChildItem -Path $extracted -Recurse -File | Where-Object { $_.Extension -in '.conflist', '.conf' })

    New-Item -ItemType Directory -Force -Path $CniBinDir, $CniNetConfDir | Out-Null
    foreach ($file in $executables) {
        Copy-Item -Path $file.FullName -Destination $CniBinDir -Force
        Write-Host "Installed $(Join-Path $CniBinDir $file.Name)"
    }
    foreach ($file in $configs) {
        Copy-Item -Path $file.FullName -Destination $CniNetConfDir -Force
        Write-Host "Installed $(Join-Path $CniNetConfDir $file.Name)"
    }
}
finally {
    Remove-Item -Recurse -Force -Path $staging -ErrorAction SilentlyContinue
}
