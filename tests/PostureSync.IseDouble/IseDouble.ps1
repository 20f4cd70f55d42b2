# The loopback ISE double in this PowerShell, for Pester, the Demo and the Bench. The build makes the assembly (the
# project is in the solution); a run without a build builds it here first.
function Import-IseDouble {
    if ('PostureSync.IseDouble.IseDoubleServer' -as [type]) { return }
    $project = Join-Path $PSScriptRoot 'PostureSync.IseDouble.csproj'
    $assembly = Join-Path $PSScriptRoot 'bin/Release/net10.0/PostureSync.IseDouble.dll'
    if (-not (Test-Path -LiteralPath $assembly)) {
        & dotnet build $project -c Release --nologo --verbosity quiet | Out-Host
        if ($LASTEXITCODE -ne 0) { throw "Building the ISE double failed ($LASTEXITCODE)." }
    }
    Add-Type -LiteralPath $assembly
}

# Starts a double on 127.0.0.1 and a free port: the standard test deployment, or the one given.
function Start-IseDouble {
    param([object] $Deployment = $null)
    Import-IseDouble
    [PostureSync.IseDouble.IseDoubleServer]::Start($Deployment)
}

function New-IseDoubleCredential([string] $UserName = [PostureSync.IseDouble.IseDoubleServer]::UserName) {
    [pscredential]::new($UserName, (ConvertTo-SecureString ([PostureSync.IseDouble.IseDoubleServer]::Password) -AsPlainText -Force))
}
